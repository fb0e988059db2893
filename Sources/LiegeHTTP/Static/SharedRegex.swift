/// A regular expression compiled once (when the config is read) and matched by every worker thread.
///
/// `Regex` is not declared `Sendable` (its output type need not be), but a `Regex<AnyRegexOutput>` is an
/// immutable value: its program is built from the pattern once, and the lowered form the matcher runs is
/// stored with an atomic compare-and-swap, so threads that share one value only read it. `init` matches
/// once so that lowering happens here, at load, not on some thread's first request. Nothing else may be
/// stored here: the `@unchecked` covers this one immutable value only.
public struct SharedRegex: @unchecked Sendable, Equatable {
    public let pattern: String
    public let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; the error says why it is not a valid regular expression.
    public static func compile(_ pattern: String) -> Result<SharedRegex, StaticRuleError> {
        do {
            return .success(SharedRegex(pattern: pattern, regex: try Regex(pattern)))
        } catch {
            return .failure(StaticRuleError("\(error)"))
        }
    }

    private init(pattern: String, regex: Regex<AnyRegexOutput>) {
        self.pattern = pattern
        self.regex = regex
        _ = "".contains(regex)
    }

    public static func == (lhs: SharedRegex, rhs: SharedRegex) -> Bool { lhs.pattern == rhs.pattern }
}
