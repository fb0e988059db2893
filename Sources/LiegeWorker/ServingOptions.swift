import LiegeConfig

/// The options that shape how a worker serves requests, read once from the config.
struct ServingOptions: Sendable {
    var maxHeadSize: Int
    /// `limit-request-fields`: most header (and trailer) fields of a request, 0 = no limit.
    var maxHeaderFields: Int
    var socketTimeout: Int
    /// A request head must be complete this long after its first byte (or after accept).
    var headerTimeout: Int
    /// A request body may stall this long between two reads.
    var bodyTimeout: Int
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
    /// `route*` options (docs/routing.md), applied by the loop before static files and the app.
    var routes: RouteTable

    init(config: Config) {
        maxHeadSize = max(1024, config.int("buffer-size") == 0 ? 65535 : config.int("buffer-size"))
        maxHeaderFields = config.int("limit-request-fields")
        socketTimeout = config.int("socket-timeout") == 0 ? 30 : config.int("socket-timeout")
        headerTimeout = config.isSet("http-header-timeout") ? max(1, config.int("http-header-timeout")) : socketTimeout
        bodyTimeout = config.isSet("http-body-timeout") ? max(1, config.int("http-body-timeout")) : socketTimeout
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
        routes = RouteTable(config: config)
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
