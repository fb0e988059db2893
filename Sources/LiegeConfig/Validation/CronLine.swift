/// One `cron`, `unique-cron` or `cron2` value, parsed (SPEC.md §10). The loader checks every line with
/// it (a bad one is `FILE:LINE: invalid cron ...`); the master parses the stored value again to run it.
public struct CronLine: Sendable, Equatable {
    public var minute: CronField
    public var hour: CronField
    public var day: CronField
    public var month: CronField
    public var weekday: CronField
    /// The shell command (`/bin/sh -c`); empty only for a bare schedule (`--cron-preview`).
    public var command: String
    /// A run does not start while the previous one is alive.
    public var unique: Bool
    /// `cron2 harakiri=S`: seconds before the run is killed (nil: `cron-harakiri` applies; 0: none).
    public var harakiri: Int?

    /// The keys `cron2` accepts.
    public static let cron2Keys = ["minute", "hour", "day", "month", "week", "unique", "harakiri"]

    /// `MIN HOUR DAY MONTH WEEKDAY COMMAND` (`cron`, `unique-cron`), or only the five fields when
    /// `requireCommand` is false (a schedule for `--cron-preview`).
    public static func parse(_ text: String, unique: Bool = false, requireCommand: Bool = true) -> Result<CronLine, CronSyntaxError> {
        var rest = Substring(text)
        var fields: [String] = []
        while fields.count < 5 {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard !rest.isEmpty else { break }
            let token = rest.prefix { $0 != " " && $0 != "\t" }
            fields.append(String(token))
            rest = rest.dropFirst(token.count)
        }
        let command = trimmed(rest)
        guard fields.count == 5, !requireCommand || !command.isEmpty else {
            let count = fields.count + (command.isEmpty ? 0 : 1)
            return .failure(CronSyntaxError("\(count) field\(count == 1 ? "" : "s"), expected "
                + (requireCommand ? "MIN HOUR DAY MONTH WEEKDAY COMMAND" : "MIN HOUR DAY MONTH WEEKDAY")))
        }
        return build(fields, command: command, unique: unique, harakiri: nil)
    }

    /// `cron2 = key=value,... COMMAND`: `minute hour day month week` (default -1), `unique`, `harakiri`.
    /// A value may hold commas (`minute=0,30,hour=3`): a piece without `key=` continues the previous value.
    public static func parseCron2(_ text: String) -> Result<CronLine, CronSyntaxError> {
        let body = trimmed(Substring(text))
        let head = body.prefix { $0 != " " && $0 != "\t" }
        guard head.contains("=") else {
            return build(["-1", "-1", "-1", "-1", "-1"], command: body, unique: false, harakiri: nil)
        }
        let command = trimmed(body.dropFirst(head.count))
        guard !command.isEmpty else { return .failure(CronSyntaxError("no command after the keys")) }
        let pairs: [(key: String, value: String)]
        switch KeyValueList.parse(String(head), allowed: cron2Keys) {
        case .success(let parsed): pairs = parsed
        case .failure(let error): return .failure(error)
        }
        var fields = ["-1", "-1", "-1", "-1", "-1"]
        var unique = false
        var harakiri: Int?
        for (key, value) in pairs {
            switch key {
            case "unique":
                guard let flag = OptionValidator.booleans[value.lowercased()] else {
                    return .failure(CronSyntaxError("unique \(Quoted.text(value)): expected a boolean"))
                }
                unique = flag
            case "harakiri":
                guard let seconds = Int(value), seconds >= 0 else {
                    return .failure(CronSyntaxError("harakiri \(Quoted.text(value)): expected seconds"))
                }
                harakiri = seconds
            default:
                if let index = ["minute", "hour", "day", "month", "week"].firstIndex(of: key) { fields[index] = value }
            }
        }
        return build(fields, command: command, unique: unique, harakiri: harakiri)
    }

    private static func build(_ fields: [String], command: String, unique: Bool, harakiri: Int?) -> Result<CronLine, CronSyntaxError> {
        var parsed: [CronField] = []
        for (text, unit) in zip(fields, CronField.Unit.allCases) {
            switch CronField.parse(text, unit: unit) {
            case .success(let field): parsed.append(field)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(CronLine(minute: parsed[0], hour: parsed[1], day: parsed[2], month: parsed[3], weekday: parsed[4],
                                 command: command, unique: unique, harakiri: harakiri))
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
