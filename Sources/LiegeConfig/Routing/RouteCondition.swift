/// The check of a `route-if` rule: `NAME:SUBJECT` or `NAME:SUBJECT;OPERAND` (uWSGI's route conditions).
public struct RouteCondition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case exists, isfile, isdir, islink, isexec, empty
        case equal, startswith, endswith, contains, regexp
        case higher, higherOrEqual, lower, lowerOrEqual

        /// Whether the condition compares the subject with an operand after `;`.
        public var takesOperand: Bool {
            switch self {
            case .exists, .isfile, .isdir, .islink, .isexec, .empty: false
            default: true
            }
        }
    }

    /// Every name uWSGI accepts, with its kind.
    public static let names: [(name: String, kind: Kind)] = [
        ("exists", .exists), ("isfile", .isfile), ("isdir", .isdir), ("islink", .islink), ("isexec", .isexec),
        ("empty", .empty), ("equal", .equal), ("isequal", .equal), ("eq", .equal), ("==", .equal),
        ("startswith", .startswith), ("endswith", .endswith), ("contains", .contains), ("contain", .contains),
        ("regexp", .regexp), ("re", .regexp), ("ishigher", .higher), (">", .higher),
        ("ishigherequal", .higherOrEqual), (">=", .higherOrEqual), ("islower", .lower), ("<", .lower),
        ("islowerequal", .lowerOrEqual), ("<=", .lowerOrEqual),
    ]

    /// uWSGI conditions Liege does not provide, so the error says so instead of guessing a typo.
    static let unsupported: Set<String> = ["ipv4in", "ipv6in", "lord"]

    public var kind: Kind
    /// What is checked (variables expanded per request).
    public var subject: RouteTemplate
    /// What it is compared with; for `regexp`, the pattern's text (compiled by the worker).
    public var operand: RouteTemplate?
    public var pattern: String?

    /// Parses `NAME:SUBJECT[;OPERAND]`.
    public static func parse(_ text: Substring) -> Result<RouteCondition, RouteProblem> {
        guard let colon = text.firstIndex(of: ":") else {
            return .failure(RouteProblem("expects CONDITION:SUBJECT[;VALUE] ACTION, got \(RouteNames.quoted(String(text)))"))
        }
        let name = String(text[..<colon])
        let rest = text[text.index(after: colon)...]
        guard let kind = names.first(where: { $0.name == name })?.kind else {
            if unsupported.contains(name) {
                return .failure(RouteProblem("uses the route condition \(RouteNames.quoted(name)), which Liege does not provide"))
            }
            return .failure(RouteProblem("has an unknown route condition \(RouteNames.quoted(name))"
                + RouteNames.suggestion(name, among: names.map(\.name))))
        }
        var subjectText = rest
        var operandText: Substring?
        if kind.takesOperand {
            guard let semicolon = rest.firstIndex(of: ";") else {
                return .failure(RouteProblem("condition \(RouteNames.quoted(name)) expects SUBJECT;VALUE, got \(RouteNames.quoted(String(rest)))"))
            }
            subjectText = rest[..<semicolon]
            operandText = rest[rest.index(after: semicolon)...]
        }
        let subject: RouteTemplate
        switch RouteTemplate.parse(String(subjectText)) {
        case .success(let parsed): subject = parsed
        case .failure(let problem): return .failure(problem)
        }
        var condition = RouteCondition(kind: kind, subject: subject, operand: nil, pattern: nil)
        guard let operandText else { return .success(condition) }
        if kind == .regexp {
            if let problem = RoutePattern.problem(String(operandText)) { return .failure(problem) }
            condition.pattern = String(operandText)
            return .success(condition)
        }
        switch RouteTemplate.parse(String(operandText)) {
        case .success(let parsed): condition.operand = parsed
        case .failure(let problem): return .failure(problem)
        }
        return .success(condition)
    }
}

/// Route regexes: PCRE-like, matched unanchored against the subject's bytes (one character per byte,
/// so a UTF-8 pattern matches the UTF-8 bytes of the request, as uWSGI's PCRE does).
public enum RoutePattern {
    /// The pattern as the regex engine takes it: each byte of its UTF-8 form as one character.
    public static func byteText(_ pattern: String) -> String {
        let bytes = Array(pattern.utf8)
        guard bytes.contains(where: { $0 >= 0x80 }) else { return pattern }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Nil when the pattern compiles.
    static func problem(_ pattern: String) -> RouteProblem? {
        guard !pattern.isEmpty else { return RouteProblem("has an empty regular expression") }
        do {
            _ = try Regex(byteText(pattern))
            return nil
        } catch {
            return RouteProblem("has an invalid regular expression \(RouteNames.quoted(pattern)): \(error)")
        }
    }
}
