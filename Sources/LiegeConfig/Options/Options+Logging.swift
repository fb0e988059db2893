extension OptionRegistry {
    /// The request log line when `log-format` is not given (SPEC §6).
    static let defaultLogFormat = "%(addr) - %(user) [%(ltime)] \"%(method) %(uri) %(proto)\" %(status) %(size) %(msecs)ms w%(wid)"

    /// Where the log goes and what request lines look like.
    static let loggingOptions: [OptionSpec] = [
        OptionSpec("logto", type: .path, help: "log to this file instead of stderr"),
        OptionSpec("logto2", type: .path, help: "log to this file, opened after dropping privileges"),
        OptionSpec("logdate", aliases: ["log-date"], type: .string,
                   help: "timestamp of log lines (bare: the default stamp; else a strftime format)", bareValue: "true"),
        OptionSpec("disable-logging", type: .bool, help: "no request log lines"),
        OptionSpec("log-format", aliases: ["logformat"], type: .string, default: defaultLogFormat,
                   help: "request log line; request variables such as `%(uri)` are filled per request",
                   expansion: .keepsRequestVariables),
        OptionSpec("log-maxsize", type: .bytes, default: "0", help: "rotate the log file when it grows past this (0: never)"),
        OptionSpec("log-backupname", type: .path, help: "name of the rotated log file (default: the log name plus `.<unixtime>`)"),
        OptionSpec("log-reopen", type: .bool, help: "accepted for compatibility; no effect"),
        OptionSpec("procname", type: .string, help: "process titles become `NAME master`, `NAME worker ID` instead of `liege master APP`"),
        OptionSpec("procname-prefix", type: .string, help: "text put before every process title"),
        OptionSpec("procname-prefix-spaced", type: .string, help: "text and a space put before every process title"),
    ]
}
