import LiegeConfig

/// How long a connection may wait on its client, in seconds: for the rest of a request head, between two
/// pieces of a body, and for room to send. HTTP connections follow `http-timeout` (uWSGI's HTTP router
/// timeout, whose client side is what an `http-socket` has) where it is set; uwsgi-protocol connections
/// follow `socket-timeout`. `http-header-timeout` and `http-body-timeout` win over both.
struct ConnectionTimeouts: Sendable, Equatable {
    var header: Int
    var body: Int
    var send: Int

    init(header: Int, body: Int, send: Int) {
        self.header = header
        self.body = body
        self.send = send
    }

    init(config: Config, http: Bool) {
        let socketTimeout = config[.socketTimeout] == 0 ? 30 : config[.socketTimeout]
        let base = http ? config[.httpTimeout].map { max(1, $0) } ?? socketTimeout : socketTimeout
        header = config[.httpHeaderTimeout].map { max(1, $0) } ?? base
        body = config[.httpBodyTimeout].map { max(1, $0) } ?? base
        send = base
    }
}
