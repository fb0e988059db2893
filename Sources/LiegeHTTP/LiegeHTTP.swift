/// HTTP/1.1 and uwsgi-protocol parsing and response writing: pure code over byte buffers, no syscalls.
public enum LiegeHTTP {}
