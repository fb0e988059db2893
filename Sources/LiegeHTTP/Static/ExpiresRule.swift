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
    public var pattern: String
    public var seconds: Int

    public init(subject: Subject, fromModification: Bool, pattern: String, seconds: Int) {
        self.subject = subject
        self.fromModification = fromModification
        self.pattern = pattern
        self.seconds = seconds
    }

    /// Parses `REGEX SECONDS` (the regex may contain spaces: the number is the last word) or, for
    /// `.type`, `MIME=SECONDS`. The regex itself is checked by `ExpiresPolicy`.
    public static func parse(_ subject: Subject, fromModification: Bool, _ value: String) -> Result<ExpiresRule, StaticRuleError> {
        let separator: Character = subject == .type ? "=" : " "
        let trimmed = value.trimmingTrailingSpaces
        guard let split = trimmed.lastIndex(of: separator) else {
            let shape = subject == .type ? "MIME=SECONDS" : "REGEX SECONDS"
            return .failure(StaticRuleError("expects \(shape), got \"\(value)\""))
        }
        let pattern = String(trimmed[..<split]).trimmingTrailingSpaces
        let number = trimmed[trimmed.index(after: split)...]
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int(number) else {
            return .failure(StaticRuleError("expects a number of seconds at the end, got \"\(number)\""))
        }
        guard !pattern.isEmpty else { return .failure(StaticRuleError("the pattern is empty in \"\(value)\"")) }
        return .success(ExpiresRule(subject: subject, fromModification: fromModification, pattern: pattern, seconds: seconds))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var result = self
        while result.last == " " || result.last == "\t" { result.removeLast() }
        return result
    }
}
