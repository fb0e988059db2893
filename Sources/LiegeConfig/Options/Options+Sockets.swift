extension OptionRegistry {
    /// Listening sockets and connection limits.
    static let socketOptions: [OptionSpec] = [
        OptionSpec("socket", aliases: ["uwsgi-socket"], type: .address, repeatable: true, help: "listen with the uwsgi protocol"),
        OptionSpec("http-socket", type: .address, repeatable: true, help: "listen with HTTP/1.1",
                   noticeAliases: ["http": "\"http\" is read as \"http-socket\" (Liege has no separate HTTP router)"]),
        OptionSpec("protocol", type: .string, default: "uwsgi", help: "protocol of on-demand sockets"),
        OptionSpec("listen", type: .int, default: "1024", help: "listen backlog", range: 1...65535),
        OptionSpec("chmod-socket", aliases: ["chmod"], type: .octal,
                   help: "permissions of unix sockets (three octal digits; bare: 666)", bareValue: "666"),
        OptionSpec("chown-socket", type: .user, help: "owner of unix sockets (`user` or `user:group`)"),
        OptionSpec("buffer-size", type: .bytes, default: "65535",
                   help: "largest request header block", range: 1024...(64 * 1024 * 1024)),
        OptionSpec("limit-request-fields", type: .int, default: "100",
                   help: "most header fields in an HTTP request, and trailer fields after a chunked body "
                       + "(more get 431; 0 = only buffer-size limits them)", range: 0...32768),
        OptionSpec("socket-timeout", type: .seconds, default: "30",
                   help: "how long a client may take to read a response (and the default of the header and body timeouts)"),
        OptionSpec("http-header-timeout", type: .seconds,
                   help: "a request head must arrive whole this long after the connection opened or its first byte "
                       + "(408 then); default: socket-timeout"),
        OptionSpec("http-body-timeout", type: .seconds,
                   help: "a request body may stall this long between two reads; default: socket-timeout"),
        OptionSpec("http-timeout", type: .seconds,
                   help: "uWSGI's HTTP router timeout, here the client side of `http-socket` connections: the head, body "
                       + "and send timeouts of HTTP connections (the explicit header/body timeouts still win); uwsgi-protocol "
                       + "connections keep socket-timeout. An app's own time is bounded by `harakiri`"),
        OptionSpec("worker-connections", type: .int, default: "1000",
                   help: "open connections per worker; beyond, the worker stops accepting and the others (or the "
                       + "listen backlog) take the rest", range: 1...1_000_000),
        OptionSpec("http-keepalive", type: .seconds, default: "5",
                   help: "keep idle HTTP/1.1 connections open this long between requests (`0` = off, `true` = 5)",
                   bareValue: "5",
                   valueWords: ["true": "5", "yes": "5", "on": "5", "false": "0", "no": "0", "off": "0"]),
    ]
}

// The typed keys of these options.
extension Option where Value == [String] {
    /// `socket` addresses (uwsgi protocol).
    public static var uwsgiSockets: Self { .init(list: "socket") }
    public static var httpSockets: Self { .init(list: "http-socket") }
}

extension Option where Value == String {
    /// `protocol`: of on-demand sockets.
    public static var socketProtocol: Self { .init("protocol") }
}

extension Option where Value == Int {
    public static var listen: Self { .init("listen") }
    public static var bufferSize: Self { .init("buffer-size") }
    public static var limitRequestFields: Self { .init("limit-request-fields") }
    public static var socketTimeout: Self { .init("socket-timeout") }
    public static var workerConnections: Self { .init("worker-connections") }
    /// Seconds (`true` was stored as 5).
    public static var httpKeepalive: Self { .init("http-keepalive") }
}

extension Option where Value == Int? {
    /// `chmod-socket` as a mode (`660` -> 0o660).
    public static var chmodSocket: Self { .init(optional: "chmod-socket") }
    public static var httpHeaderTimeout: Self { .init(optional: "http-header-timeout") }
    public static var httpBodyTimeout: Self { .init(optional: "http-body-timeout") }
    public static var httpTimeout: Self { .init(optional: "http-timeout") }
}

extension Option where Value == String? {
    public static var chownSocket: Self { .init(optional: "chown-socket") }
}
