import LiegeConfig

/// The options that shape how a worker serves requests, read once from the config.
struct ServingOptions: Sendable {
    /// The timeouts of connections accepted from a listener of `kind`.
    func timeouts(for kind: Listener.Kind) -> ConnectionTimeouts {
        kind == .http ? httpTimeouts : uwsgiTimeouts
    }


    var maxHeadSize: Int
    /// `limit-request-fields`: most header (and trailer) fields of a request, 0 = no limit.
    var maxHeaderFields: Int
    /// The timeouts of `http-socket` connections, and of uwsgi-protocol ones.
    var httpTimeouts: ConnectionTimeouts
    var uwsgiTimeouts: ConnectionTimeouts
    var keepAliveSeconds: Int
    /// Open connections per worker beyond which it stops accepting.
    var workerConnections: Int
    var addHeaders: [(name: String, value: String)]
    var logFormat: String
    /// Which requests get a log line and where (`log-4xx`, `log-slow`, `req-logger`...).
    var requestLog: RequestLogPolicy
    var threads: Int
    var needApp: Bool
    var staticFiles: StaticSettings
    /// Which mounted app answers a request (`mount`, `manage-script-name`, `no-default-app`).
    var router: MountRouter
    /// `post-buffering`: bodies are read whole before the app runs, in memory up to this size (0: off).
    var postBuffering: Int
    /// `memory-report`: 0 off, 1 address space and RSS in each request log line, 2 also USS and PSS.
    var memoryReport: Int
    /// `asgi-loop`, `asgi-lifespan`, `root-path`.
    var asgiLoop: String
    var asgiLifespan: String
    var rootPath: String
    var webSocket: WebSocketSettings
    /// `route*` options (docs/routing.md), applied by the loop before static files and the app.
    var routes: RouteTable

    init(config: Config) {
        maxHeadSize = max(1024, config.int("buffer-size") == 0 ? 65535 : config.int("buffer-size"))
        maxHeaderFields = config.int("limit-request-fields")
        httpTimeouts = ConnectionTimeouts(config: config, http: true)
        uwsgiTimeouts = ConnectionTimeouts(config: config, http: false)
        workerConnections = max(1, config.int("worker-connections"))
        let keepAlive = config.string("http-keepalive")?.lowercased()
        if keepAlive == "true" || keepAlive == "yes" || keepAlive == "on" {
            keepAliveSeconds = 5
        } else {
            keepAliveSeconds = config.int("http-keepalive")
        }
        addHeaders = config.list("add-header").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            return name.isEmpty ? nil : (name, value)
        }
        logFormat = config.string("log-format") ?? AccessLogFormat.defaultFormat
        requestLog = RequestLogPolicy(config: config)
        threads = max(1, config.int("threads"))
        needApp = config.string("need-app").map { ["true", "yes", "on", "1"].contains($0.lowercased()) } ?? true
        staticFiles = StaticSettings(config: config)
        router = MountRouter(AppMounts(config: config))
        postBuffering = config.bytes("post-buffering")
        memoryReport = config.int("memory-report")
        asgiLoop = (config.string("asgi-loop") ?? "auto").lowercased()
        asgiLifespan = (config.string("asgi-lifespan") ?? "auto").lowercased()
        rootPath = config.string("root-path") ?? ""
        webSocket = WebSocketSettings(config: config)
        routes = RouteTable(config: config)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
