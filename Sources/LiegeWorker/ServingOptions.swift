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
        maxHeadSize = max(1024, config[.bufferSize] == 0 ? 65535 : config[.bufferSize])
        maxHeaderFields = config[.limitRequestFields]
        httpTimeouts = ConnectionTimeouts(config: config, http: true)
        uwsgiTimeouts = ConnectionTimeouts(config: config, http: false)
        workerConnections = max(1, config[.workerConnections])
        keepAliveSeconds = config[.httpKeepalive]
        addHeaders = config[.addHeader].map { ($0.name, $0.value) }
        logFormat = config[.logFormat]
        requestLog = RequestLogPolicy(config: config)
        threads = max(1, config[.threads])
        needApp = config[.needApp]
        staticFiles = StaticSettings(config: config)
        router = MountRouter(AppMounts(config: config))
        postBuffering = config[.postBuffering]
        memoryReport = config[.memoryReport]
        asgiLoop = config[.asgiLoop]
        asgiLifespan = config[.asgiLifespan]
        rootPath = config[.rootPath]
        webSocket = WebSocketSettings(config: config)
        routes = RouteTable(config: config)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
