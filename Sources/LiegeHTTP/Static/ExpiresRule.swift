/// One `static-expires*` option: what it matches, how, and for how long.
public struct ExpiresRule: Sendable, Equatable {
    /// What the pattern is matched against, in the order families are tried.
    public enum Subject: Int, Sendable {
        /// `static-expires`: the resolved file path.
        case path
        /// `static-expires-path-info`: PATH_INFO.
        case pathInfo
        /// `static-expires-uri`: REQUEST_URI, query included.
        case uri
        /// `static-expires-type`: the exact Content-Type (no regex).
        case type
    }

    public var subject: Subject
    /// The `-mtime` twin: seconds after the file's modification time, not after the request.
    public var fromModification: Bool
    /// A regular expression (unanchored), or the MIME type for `.type`.
    public let pattern: String
    public var seconds: Int
    /// The compiled pattern (nil for `.type`, or when it is not a valid regular expression, which `parse` refuses).
    public let regex: SharedRegex?

    public init(subject: Subject, fromModification: Bool, pattern: String, seconds: Int) {
        self.subject = subject
        self.fromModification = fromModification
        self.pattern = pattern
        self.seconds = seconds
        regex = subject == .type ? nil : try? SharedRegex.compile(pattern).get()
    }

    /// Parses `REGEX SECONDS` (the regex may contain spaces: the number is the last word) or, for
    /// `.type`, `MIME=SECONDS`, and compiles the regex: the one grammar of the `static-expires*` options,
    /// run by the config check; the worker's threads share the compiled rules.
    public static func parse(_ subject: Subject, fromModification: Bool, _ value: String) -> Result<ExpiresRule, StaticRuleError> {
        let separator: Character = subject == .type ? "=" : " "
        let shape = subject == .type ? "MIME=SECONDS" : "REGEX SECONDS"
        let trimmed = value.trimmingTrailingSpaces
        guard let split = trimmed.lastIndex(of: separator) else {
            return .failure(StaticRuleError("expects \(shape), got \"\(value)\""))
        }
        let pattern = String(trimmed[..<split]).trimmingTrailingSpaces
        let number = trimmed[trimmed.index(after: split)...]
        guard !pattern.isEmpty, !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int(number) else {
            return .failure(StaticRuleError("expects \(shape), got \"\(value)\""))
        }
        let rule = ExpiresRule(subject: subject, fromModification: fromModification, pattern: pattern, seconds: seconds)
        if subject != .type, case .failure(let problem) = SharedRegex.compile(pattern) {
            return .failure(StaticRuleError("has an invalid regular expression \"\(pattern)\": \(problem.message)"))
        }
        return .success(rule)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var result = self
        while result.last == " " || result.last == "\t" { result.removeLast() }
        return result
    }
}
