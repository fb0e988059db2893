/// Which loggers get a log line (uWSGI's `log-route`): a line matching some route's pattern goes to
/// the named loggers of the matching routes only; any other line goes to every unnamed logger, or,
/// when there is none, to the original standard error.
public struct LogRouter {
    /// The result for one line: indexes into the logger list, or the original standard error.
    public enum Target: Equatable {
        case loggers([Int])
        case standardError
    }

    private let unnamed: [Int]
    private let routes: [(regex: Regex<AnyRegexOutput>, loggers: [Int])]

    /// `names`: each logger's name (nil: unnamed); `routes`: (logger name, pattern) in order. Routes
    /// whose pattern does not compile or that name no logger are skipped (the config check refuses both).
    public init(names: [String?], routes: [(logger: String, pattern: String)]) {
        unnamed = names.indices.filter { names[$0] == nil }
        self.routes = routes.compactMap { route in
            guard let regex = try? Regex(route.pattern) else { return nil }
            let loggers = names.indices.filter { names[$0] == route.logger }
            return loggers.isEmpty ? nil : (regex, loggers)
        }
    }

    public func target(for line: String) -> Target {
        var matched: [Int] = []
        for route in routes where line.firstMatch(of: route.regex) != nil {
            for index in route.loggers where !matched.contains(index) { matched.append(index) }
        }
        if !matched.isEmpty { return .loggers(matched) }
        return unnamed.isEmpty ? .standardError : .loggers(unnamed)
    }
}
