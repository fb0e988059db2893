import LiegeConfig
import LiegeSystem

/// `liege --cron-preview "SPEC" [--from ISO8601] [--count N]` (SPEC.md §1.7): prints the next N (5)
/// fire times of a cron schedule, one local ISO 8601 time per line, so a schedule can be checked
/// before it is deployed. SPEC is the five time fields (a trailing command is ignored) or cron2 keys.
public enum CronPreview {
    public static func handles(_ arguments: [String]) -> Bool {
        arguments.first == "--cron-preview"
    }

    /// Runs the tool; returns the exit status (1 with a message on stderr for bad arguments).
    public static func run(arguments: [String]) -> Int32 {
        switch render(arguments: arguments, now: wallClockSeconds(), calendar: { CalendarTime.local(epochSeconds: $0) }) {
        case .success(let text):
            try? Posix.writeAll(1, text)
            return 0
        case .failure(let error):
            writeStandardError("liege --cron-preview: \(error.message)\n")
            return 1
        }
    }

    /// The printed text for `arguments` (starting with `--cron-preview`), with an injected clock and calendar.
    static func render(arguments: [String], now: Int, calendar: @escaping CronMatcher.Calendar) -> Result<String, CronSyntaxError> {
        var from = now
        var count = 5
        var positional: [String] = []
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            let (name, inline) = split(argument)
            guard name == "--from" || name == "--count" else {
                guard !argument.hasPrefix("--") else { return .failure(CronSyntaxError("unknown option \"\(argument)\"")) }
                positional.append(argument)
                continue
            }
            guard let value = inline ?? rest.popFirst() else { return .failure(CronSyntaxError("\(name) needs a value")) }
            if name == "--from" {
                guard let seconds = ISOTime.epochSeconds(value) else {
                    return .failure(CronSyntaxError("--from \"\(value)\": expected an ISO 8601 time like 2026-02-28T23:59 or 2026-02-28T23:59:00+01:00"))
                }
                from = seconds
            } else {
                guard let number = Int(value), (1...10_000).contains(number) else {
                    return .failure(CronSyntaxError("--count \"\(value)\": expected a number from 1 to 10000"))
                }
                count = number
            }
        }
        guard positional.count == 1, let spec = positional.first else {
            return .failure(CronSyntaxError("usage: liege --cron-preview \"MIN HOUR DAY MONTH WEEKDAY\" [--from ISO8601] [--count N]"))
        }
        let line: CronLine
        switch parse(spec) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .failure(CronSyntaxError("invalid cron \"\(spec)\": \(error.message)"))
        }
        let fires = CronMatcher.nextFires(line, after: from, count: count, calendar: calendar)
        if fires.isEmpty { return .success("") }
        return .success(fires.map { ISOTime.string($0, calendar: calendar) + "\n" }.joined())
    }

    private static func parse(_ spec: String) -> Result<CronLine, CronSyntaxError> {
        let head = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
        if head.contains("=") { return CronLine.parseCron2(spec.contains(" ") ? spec : spec + " true") }
        return CronLine.parse(spec, requireCommand: false)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<eq]), String(argument[argument.index(after: eq)...]))
    }
}
