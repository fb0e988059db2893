/// The worker process: accepts on the inherited sockets and serves requests through the WSGI bridge.
public enum LiegeWorker {}
