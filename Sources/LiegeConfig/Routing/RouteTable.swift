/// The request routing table (uWSGI's internal routing, request chain): every `route*` option in
/// config order, parsed once. The config check and the worker read it through the same parser.
public struct RouteTable: Sendable, Equatable {
    public var rules: [RouteRule]

    public var isEmpty: Bool { rules.isEmpty }

    public init(rules: [RouteRule]) {
        self.rules = rules
    }

    /// The table of a loaded config (whose routing values were checked at load time).
    public init(config: Config) {
        self = Self.parse(config.entries).table
    }

    /// Parses the routing entries among `entries`; each problem names the index of its entry.
    /// A rule that does not parse is left out; `goto` targets that are literal are resolved here.
    public static func parse(_ entries: [ConfigEntry]) -> (table: RouteTable, problems: [(index: Int, message: String)]) {
        let routing = Set(RouteRule.optionNames)
        var rules: [RouteRule] = []
        var origins: [Int] = []
        var problems: [(index: Int, message: String)] = []
        for (index, entry) in entries.enumerated() where routing.contains(entry.key) {
            switch RouteRule.parse(option: entry.key, value: entry.value) {
            case .success(let rule):
                rules.append(rule)
                origins.append(index)
            case .failure(let problem):
                problems.append((index, "\(RouteNames.quoted(entry.key)) \(problem.message)"))
            }
        }
        for position in rules.indices {
            guard case .jump(var jump)? = rules[position].action, let literal = jump.target.literal else { continue }
            switch resolve(String(decoding: literal, as: UTF8.self), from: position, in: rules) {
            case .success(let target):
                jump.position = target
                rules[position].action = .jump(jump)
            case .failure(let problem):
                problems.append((origins[position], "\(RouteNames.quoted(rules[position].option)) \(problem.message)"))
            }
        }
        return (RouteTable(rules: rules), problems.sorted { $0.index < $1.index })
    }

    /// The rule index a `goto` from `position` lands on: the first `route-label` of that name, else a
    /// rule number; only forward.
    public static func resolve(_ label: String, from position: Int, in rules: [RouteRule]) -> Result<Int, RouteProblem> {
        let labels = rules.indices.compactMap { index -> (index: Int, name: String)? in
            if case .label(let name) = rules[index].match { return (index, name) }
            return nil
        }
        if let found = labels.first(where: { $0.name == label }) {
            guard found.index > position else {
                return .failure(RouteProblem("has \"goto:\(label)\", but that route-label comes before it (goto only jumps forward)"))
            }
            return .success(found.index)
        }
        if !label.isEmpty, label.allSatisfy(\.isASCIIDigit), let number = Int(label) {
            guard number > position, number < rules.count else {
                return .failure(RouteProblem("has \"goto:\(label)\", but rule \(label) is not after it in the table"))
            }
            return .success(number)
        }
        let later = labels.filter { $0.index > position }.map(\.name)
        return .failure(RouteProblem("has \"goto:\(label)\", but no route-label \(RouteNames.quoted(label)) follows"
            + RouteNames.suggestion(label, among: later)))
    }
}
