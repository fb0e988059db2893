extension OptionRegistry {
    /// The request log line when `log-format` is not given (SPEC §6).
    public static let defaultLogFormat = "%(addr) - %(user) [%(ltime)] \"%(method) %(uri) %(proto)\" %(status) %(size) %(msecs)ms w%(wid)"

    /// Where the log goes and what request lines look like.
    static let loggingOptions: [OptionSpec] = [
        OptionSpec("logto", type: .path, help: "log to this file instead of stderr"),
        OptionSpec("logto2", type: .path, help: "log to this file, opened after dropping privileges"),
        OptionSpec("logdate", aliases: ["log-date"], type: .string,
                   help: "timestamp of log lines (bare: the default stamp; else a strftime format)", bareValue: "true",
                   parser: OptionParser { value in .success(["false", "no", "off", "0"].contains(value) ? "" : value) }),
        OptionSpec("disable-logging", type: .bool, help: "no request log lines"),
        OptionSpec("log-format", aliases: ["logformat"], type: .string, default: defaultLogFormat,
                   help: "request log line; request variables such as `%(uri)` are filled per request",
                   expansion: .keepsRequestVariables),
        OptionSpec("log-maxsize", type: .bytes, default: "0", help: "rotate the log file when it grows past this (0: never)"),
        OptionSpec("log-backupname", type: .path, help: "name of the rotated log file (default: the log name plus `.<unixtime>`)"),
        OptionSpec("log-reopen", type: .bool, help: "accepted for compatibility; no effect"),
        OptionSpec("logger", type: .string, repeatable: true,
                   help: "send the log to `file:PATH`, `stdio` or `syslog[:IDENT[,FACILITY]]` (several: each gets every line); "
                       + "`NAME SPEC` names a logger for `log-route`; replaces `logto`",
                   parser: OptionParser { LoggerLine.parsed($0, defaultIdent: "") }),
        OptionSpec("req-logger", type: .string, repeatable: true,
                   help: "send request log lines to `file:PATH`, `stdio` or `syslog[:IDENT[,FACILITY]]` instead of the log",
                   parser: OptionParser { LoggerLine.parsed($0, defaultIdent: "") }),
        OptionSpec("log-route", type: .string, repeatable: true,
                   help: "`NAME REGEX`: log lines matching REGEX go to logger NAME only (other lines to the unnamed loggers)",
                   parser: OptionParser(LoggerLine.route)),
        OptionSpec("log-4xx", type: .bool, help: "log requests answered 4xx even with `disable-logging`"),
        OptionSpec("log-5xx", type: .bool, help: "log requests answered 5xx even with `disable-logging`"),
        OptionSpec("log-slow", type: .milliseconds, default: "0",
                   help: "log requests that took at least this long even with `disable-logging` (0: off)"),
        OptionSpec("log-zero", type: .bool, help: "log responses with an empty body even with `disable-logging`"),
        OptionSpec("log-x-forwarded-for", type: .bool,
                   help: "the request log's address (`%(addr)`) is the X-Forwarded-For header when the request has one"),
        OptionSpec("memory-report", type: .int, default: "0",
                   help: "each request log line starts with the worker's memory after the request, as uWSGI writes it "
                       + "(`{address space usage: ...} {rss usage: ...}`); `2` adds USS and PSS (`true` = 1)",
                   bareValue: "1", valueWords: ["true": "1", "yes": "1", "on": "1", "false": "0", "no": "0", "off": "0"],
                   range: 0...2),
        OptionSpec("procname", type: .string, help: "process titles become `NAME master`, `NAME worker ID` instead of `liege master APP`"),
        OptionSpec("procname-prefix", type: .string, help: "text put before every process title"),
        OptionSpec("procname-prefix-spaced", type: .string, help: "text and a space put before every process title"),
    ]

    /// `log-route` must name a logger that exists.
    static func logRouteRelations(_ entries: [ConfigEntry]) -> [(option: String, message: String)] {
        let names = Set(entries.filter { $0.key == "logger" }.compactMap { LoggerLine.parse($0.value)?.name })
        return entries.filter { $0.key == "log-route" }.compactMap { entry in
            guard let route = LoggerLine.parseRoute(entry.value), !names.contains(route.logger) else { return nil }
            return ("log-route", "\"log-route\" names logger \(Quoted.text(route.logger)), but no \"logger = \(route.logger) ...\" defines it")
        }
    }
}

// The typed keys of these options.
extension Option where Value == String? {
    public static var logto: Self { .init(optional: "logto") }
    public static var logto2: Self { .init(optional: "logto2") }
    /// `logdate`: `true` (the default stamp) or a strftime format; empty when turned off.
    public static var logDate: Self { .init(optional: "logdate") }
    public static var logBackupName: Self { .init(optional: "log-backupname") }
}

extension Option where Value == String {
    public static var logFormat: Self { .init("log-format") }
}

extension Option where Value == Int {
    /// Bytes (0: never).
    public static var logMaxSize: Self { .init("log-maxsize") }
    /// Milliseconds (0: off).
    public static var logSlow: Self { .init("log-slow") }
    public static var memoryReport: Self { .init("memory-report") }
}

extension Option where Value == Bool {
    public static var disableLogging: Self { .init("disable-logging") }
    public static var log4xx: Self { .init("log-4xx") }
    public static var log5xx: Self { .init("log-5xx") }
    public static var logZero: Self { .init("log-zero") }
    public static var logXForwardedFor: Self { .init("log-x-forwarded-for") }
}

extension Option where Value == [LoggerLine] {
    /// A syslog logger without an ident has an empty one: `LoggerLine.identified(as:)` gives it the app's.
    public static var logger: Self { .init(list: "logger") }
    public static var requestLogger: Self { .init(list: "req-logger") }
}

extension Option where Value == [LogRoute] {
    public static var logRoute: Self { .init(list: "log-route") }
}
