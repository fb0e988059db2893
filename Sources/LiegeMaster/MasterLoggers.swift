import LiegeConfig
import LiegeSystem

/// `logger` and `log-route` (uWSGI's): when the config names loggers, the master's fds 1 and 2 go to
/// a `LogFanout` for its whole life, so the master's lines and every child's pass through the routes.
/// `logto` and `logto2` given as well become file loggers.
enum MasterLoggers {
    /// Starts the fanout, nil when the config names no logger; a logger that cannot be opened is an error.
    static func start(_ config: Config) throws(SystemError) -> LogFanout? {
        let lines = config[.logger].map { $0.identified(as: config.name) }
        guard !lines.isEmpty else { return nil }
        var loggers = lines.map { (name: $0.name, destination: $0.destination) }
        for path in [config[.logto], config[.logto2]].compactMap({ $0 }) where !path.isEmpty {
            loggers.append((nil, .file(path)))
        }
        let routes = config[.logRoute].map { (logger: $0.logger, pattern: $0.pattern) }
        return try LogFanout(loggers: loggers, routes: routes)
    }
}
