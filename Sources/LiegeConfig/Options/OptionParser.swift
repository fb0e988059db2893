/// How the canonical text of one option value becomes its typed value: the option's one grammar. The
/// loader runs it to validate each entry (a failure is a config error at the entry's file and line) and
/// keeps the value; workers run it once when they read the config from the master.
public struct OptionParser: Sendable {
    let parse: @Sendable (String) -> Result<any Sendable, ValueError>

    /// A parser whose failure message follows the option name (`"static-expires" expects ...`), or stands
    /// alone when it starts with "invalid " (it names its subject itself).
    init<Parsed: Sendable>(_ parse: @escaping @Sendable (String) -> Result<Parsed, ValueError>) {
        self.parse = { text in parse(text).map { $0 as any Sendable } }
    }

    /// A parser from a function that gives the value or the message.
    init<Parsed: Sendable, Failure: Error>(_ parse: @escaping @Sendable (String) -> Result<Parsed, Failure>,
                                          message: @escaping @Sendable (Failure) -> String) {
        self.parse = { text in parse(text).map { $0 as any Sendable }.mapError { ValueError(message($0)) } }
    }

    /// The parser of a plain value of `type` (the text was normalized by `OptionValidator`).
    static func standard(_ type: OptionType) -> OptionParser {
        switch type {
        case .string, .path, .address, .user:
            OptionParser { .success($0) }
        case .bool:
            OptionParser { .success($0 == "true") }
        case .int, .seconds, .milliseconds, .megabytes, .bytes:
            OptionParser { text in Int(text).map { .success($0) } ?? .failure(ValueError("expects a whole number, got \(Quoted.text(text))")) }
        case .octal:
            OptionParser { text in Int(text, radix: 8).map { .success($0) } ?? .failure(ValueError("expects octal digits, got \(Quoted.text(text))")) }
        case .keyValue:
            OptionParser { text in KeyValue(text).map { .success($0) } ?? .failure(ValueError("expects name=value, got \(Quoted.text(text))")) }
        }
    }
}

/// A `k=v` value (`env`, `vassal-set`): split at the first `=`, the name not empty.
public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    init?(_ text: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        self.init(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    /// `key=value`, as written.
    public var text: String { key + "=" + value }
}

extension OptionSpec {
    /// Checks one expanded value and gives its canonical text (stored in `Config.entries`) and its typed
    /// value: type normalization, the spec's extra check, then its parser (or the type's).
    func parse(_ value: String) -> Result<(text: String, value: any Sendable), ValueError> {
        let text: String
        switch OptionValidator.normalize(value, for: self) {
        case .success(let normalized): text = normalized
        case .failure(let problem): return .failure(problem)
        }
        if let problem = check?(text) { return .failure(ValueError(located(problem))) }
        switch (parser ?? .standard(type)).parse(text) {
        case .success(let parsed): return .success((text, parsed))
        case .failure(let problem): return .failure(ValueError(located(problem.message)))
        }
    }

    /// "invalid cron ..." (SPEC.md §10) names its subject itself; other problems follow the option name.
    private func located(_ problem: String) -> String {
        problem.hasPrefix("invalid ") ? problem : "\"\(name)\" \(problem)"
    }
}
