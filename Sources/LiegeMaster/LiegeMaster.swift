/// The master process: binds sockets, spawns and supervises workers.
public enum LiegeMaster {}
