import LiegeConfig
import LiegeSystem

/// Which requests get a log line and where the lines go (uWSGI's `disable-logging`, `log-4xx`, `log-5xx`,
/// `log-slow`, `log-zero`, `log-x-forwarded-for`, `req-logger`), read once from the config.
struct RequestLogPolicy: Sendable, Equatable {
    /// Every request (no `disable-logging`).
    var everything = true
    var clientErrors = false
    var serverErrors = false
    /// Log requests that took at least this many milliseconds (0: off).
    var slowMilliseconds = 0
    var emptyBodies = false
    /// `%(addr)` is the X-Forwarded-For header when there is one.
    var forwardedAddress = false
    /// `req-logger` destinations; empty: the log (fd 2, through the master).
    var destinations: [LogDestination] = []

    init() {}

    init(config: Config) {
        everything = !config[.disableLogging]
        clientErrors = config[.log4xx]
        serverErrors = config[.log5xx]
        slowMilliseconds = config[.logSlow]
        emptyBodies = config[.logZero]
        forwardedAddress = config[.logXForwardedFor]
        destinations = config[.requestLogger].map { $0.identified(as: config.name).destination }
    }

    /// Whether a finished request gets a line (uWSGI's conditions, checked in its order).
    func logs(status: Int, durationMicroseconds: Int, bodyBytes: Int) -> Bool {
        if everything { return true }
        if emptyBodies, bodyBytes == 0 { return true }
        if slowMilliseconds > 0, durationMicroseconds / 1000 >= slowMilliseconds { return true }
        if clientErrors, (400...499).contains(status) { return true }
        if serverErrors, (500...599).contains(status) { return true }
        return false
    }

    /// Whether the worker must build a record for every request (some condition may log it).
    var mayLog: Bool {
        everything || clientErrors || serverErrors || slowMilliseconds > 0 || emptyBodies
    }
}
