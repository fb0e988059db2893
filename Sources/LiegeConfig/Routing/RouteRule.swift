/// One line of the routing table: a `route*` option's value parsed into what it checks and what it does.
public struct RouteRule: Sendable, Equatable {
    public enum Match: Sendable, Equatable {
        /// `route-run`: every request.
        case always
        /// `route-label`: a jump target; never runs.
        case label(String)
        /// `route`, `route-host`, `route-uri`...: the regex searched in a request variable.
        case subject(RouteSubject, pattern: String)
        /// `route-if` / `route-if-not`.
        case condition(RouteCondition, negated: Bool)
    }

    /// The option it came from (`route-host`).
    public var option: String
    public var match: Match
    /// Nil for a label.
    public var action: RouteAction?

    public init(option: String, match: Match, action: RouteAction?) {
        self.option = option
        self.match = match
        self.action = action
    }

    /// The routing options, in the order docs/options.md lists them.
    public static let optionNames: [String] = ["route", "route-run", "route-if", "route-if-not", "route-label"]
        + RouteSubject.allCases.filter { $0 != .pathInfo }.map(\.option)

    /// Parses the value of routing option `option`.
    public static func parse(option: String, value: String) -> Result<RouteRule, RouteProblem> {
        switch option {
        case "route-label":
            let label = value.trimming(" ")
            guard !label.isEmpty else { return .failure(RouteProblem("needs a label name")) }
            return .success(RouteRule(option: option, match: .label(label), action: nil))
        case "route-run":
            return RouteAction.parse(value.trimming(" ")[...]).map { RouteRule(option: option, match: .always, action: $0) }
        case "route-if", "route-if-not":
            guard let (check, actionText) = split(value) else {
                return .failure(RouteProblem("expects CONDITION:SUBJECT[;VALUE] ACTION, got \(RouteNames.quoted(value))"))
            }
            let condition: RouteCondition
            switch RouteCondition.parse(check) {
            case .success(let parsed): condition = parsed
            case .failure(let problem): return .failure(problem)
            }
            return RouteAction.parse(actionText).map {
                RouteRule(option: option, match: .condition(condition, negated: option == "route-if-not"), action: $0)
            }
        default:
            guard let subject = RouteSubject.allCases.first(where: { $0.option == option }) else {
                return .failure(RouteProblem("is not a routing option"))
            }
            guard let (pattern, actionText) = split(value) else {
                return .failure(RouteProblem("expects REGEX ACTION, got \(RouteNames.quoted(value))"))
            }
            if let problem = RoutePattern.problem(String(pattern)) { return .failure(problem) }
            return RouteAction.parse(actionText).map {
                RouteRule(option: option, match: .subject(subject, pattern: String(pattern)), action: $0)
            }
        }
    }

    /// `LEFT ACTION`, split at the first space (as uWSGI does: the left part has no spaces).
    private static func split(_ value: String) -> (Substring, Substring)? {
        let text = value.drop { $0 == " " }
        guard let space = text.firstIndex(of: " ") else { return nil }
        let action = text[space...].drop { $0 == " " }
        guard !action.isEmpty else { return nil }
        return (text[..<space], action)
    }
}

/// The request variable a `route-*` option searches with its regex.
public enum RouteSubject: String, Sendable, CaseIterable {
    case pathInfo = "PATH_INFO"
    case host = "HTTP_HOST"
    case requestURI = "REQUEST_URI"
    case queryString = "QUERY_STRING"
    case remoteAddress = "REMOTE_ADDR"
    case remoteUser = "REMOTE_USER"
    case userAgent = "HTTP_USER_AGENT"
    case referer = "HTTP_REFERER"

    /// The option that routes on it.
    public var option: String {
        switch self {
        case .pathInfo: "route"
        case .host: "route-host"
        case .requestURI: "route-uri"
        case .queryString: "route-qs"
        case .remoteAddress: "route-remote-addr"
        case .remoteUser: "route-remote-user"
        case .userAgent: "route-user-agent"
        case .referer: "route-referer"
        }
    }
}
