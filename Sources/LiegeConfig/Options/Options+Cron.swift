extension OptionRegistry {
    /// Jobs the master runs on a schedule (SPEC.md §10). Their commands keep `$(...)` for the shell.
    static let cronOptions: [OptionSpec] = [
        cronOption("cron", help: "`MIN HOUR DAY MONTH WEEKDAY COMMAND` (uWSGI syntax: -1 any, -N every N; also *, */N, A-B, A,B)") {
            CronLine.parse($0)
        },
        cronOption("unique-cron", help: "like cron, but a run never starts while the previous one is alive") {
            CronLine.parse($0, unique: true)
        },
        cronOption("cron2", help: "`key=value,... COMMAND`: minute, hour, day, month, week, unique, harakiri") {
            CronLine.parseCron2($0)
        },
        OptionSpec("cron-harakiri", type: .seconds, default: "0", help: "kill a cron run after this many seconds (0: never)"),
    ]

    private static func cronOption(_ name: String, help: String,
                                   parse: @escaping @Sendable (String) -> Result<CronLine, CronSyntaxError>) -> OptionSpec {
        OptionSpec(name, type: .string, repeatable: true, help: help, expansion: .keepsShellVariables,
                   parser: OptionParser { value in
                       parse(value).mapError { ValueError("invalid cron \(Quoted.text(value)): \($0.message)") }
                   })
    }
}

// The typed keys of these options.
extension Option where Value == [CronLine] {
    public static var cron: Self { .init(list: "cron") }
    public static var uniqueCron: Self { .init(list: "unique-cron") }
    public static var cron2: Self { .init(list: "cron2") }
}

extension Option where Value == Int {
    /// Seconds (0: never).
    public static var cronHarakiri: Self { .init("cron-harakiri") }
}
