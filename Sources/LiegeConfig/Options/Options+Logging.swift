extension OptionRegistry {
    /// Where the log goes and what request lines look like.
    static let loggingOptions: [OptionSpec] = [
        OptionSpec("logto", type: .path, help: "log to this file instead of stderr"),
        OptionSpec("logto2", type: .path, help: "log to this file, opened after dropping privileges"),
        OptionSpec("logdate", aliases: ["log-date"], type: .string,
                   help: "timestamp of log lines (bare: the default stamp; else a strftime format)", bareValue: "true"),
        OptionSpec("disable-logging", type: .bool, help: "no request log lines"),
        OptionSpec("log-format", aliases: ["logformat"], type: .string,
                   help: "request log line; `%(var)` request variables are filled at request time",
                   expansion: .keepsRequestVariables),
        OptionSpec("log-reopen", type: .bool, help: "accepted for compatibility; no effect"),
    ]
}
