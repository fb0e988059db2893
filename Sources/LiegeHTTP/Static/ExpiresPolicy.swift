/// The expiry of one static response: the `Expires` instant and the `Cache-Control: max-age` seconds.
public struct Expiry: Equatable, Sendable {
    public var expires: Int
    public var maxAge: Int
}

/// Every expires rule of a config, tried in Liege's order: by subject (path, path-info, uri, type), plain
/// rules before `-mtime` ones, then in config order. The first match gives the expiry. The rules come
/// compiled (shared by the threads); each thread's policy keeps its own memo of matches.
public struct ExpiresPolicy {
    private let rules: [ExpiresRule]
    public var isEmpty: Bool { rules.isEmpty }
    /// Whether any rule needs the file path, PATH_INFO or REQUEST_URI (skips building their strings).
    public let usesPath: Bool
    public let usesPathInfo: Bool
    public let usesURI: Bool

    /// Patterns that did not compile (only a rule not made by `ExpiresRule.parse` can have one); those rules never match.
    public let invalidPatterns: [String]

    /// Orders the (compiled) `rules`.
    public init(_ rules: [ExpiresRule]) {
        let ordered = rules.enumerated().sorted { lhs, rhs in
            (lhs.element.subject.rawValue, lhs.element.fromModification ? 1 : 0, lhs.offset)
                < (rhs.element.subject.rawValue, rhs.element.fromModification ? 1 : 0, rhs.offset)
        }.map(\.element)
        let invalid = ordered.filter { $0.subject != .type && $0.regex == nil }
        invalidPatterns = invalid.map(\.pattern)
        self.rules = ordered.filter { $0.subject == .type || $0.regex != nil }
        usesPath = rules.contains { $0.subject == .path }
        usesPathInfo = rules.contains { $0.subject == .pathInfo }
        usesURI = rules.contains { $0.subject == .uri }
    }

    /// The compiled pattern, nil when it is not a valid regular expression.
    public static func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        try? Regex(pattern)
    }

    /// The expiry of a response, or nil when no rule matches. Which rule of a family matches a given text
    /// is remembered (a regex costs microseconds; static URLs repeat), never the expiry itself.
    /// - Parameters:
    ///   - now: the request's start, seconds since the epoch.
    ///   - modified: the file's modification time, seconds since the epoch.
    public mutating func evaluate(path: String, pathInfo: String, uri: String, contentType: String,
                                  modified: Int, now: Int) -> Expiry? {
        let index = firstMatch(.path, path, &pathMemo) ?? firstMatch(.pathInfo, pathInfo, &pathInfoMemo)
            ?? firstMatch(.uri, uri, &uriMemo) ?? rules.firstIndex { $0.subject == .type && $0.pattern == contentType }
        guard let index else { return nil }
        let rule = rules[index]
        if rule.fromModification {
            let expires = modified + rule.seconds
            return Expiry(expires: expires, maxAge: max(0, expires - now))
        }
        return Expiry(expires: now + rule.seconds, maxAge: rule.seconds)
    }

    /// Remembered texts per family, at most this many each (then forgotten all at once).
    public static let memoLimit = 1024
    private var pathMemo: [String: Int] = [:]
    private var pathInfoMemo: [String: Int] = [:]
    private var uriMemo: [String: Int] = [:]

    /// The index of the first rule of `subject` whose regex matches `text` (rules are in evaluation order).
    private func firstMatch(_ subject: ExpiresRule.Subject, _ text: String, _ memo: inout [String: Int]) -> Int? {
        guard subject == .path ? usesPath : subject == .pathInfo ? usesPathInfo : usesURI else { return nil }
        if let known = memo[text] { return known < 0 ? nil : known }
        var found = -1
        for (index, rule) in rules.enumerated() where rule.subject == subject {
            if let regex = rule.regex?.regex, text.contains(regex) {
                found = index
                break
            }
        }
        if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
        memo[text] = found
        return found < 0 ? nil : found
    }
}
