/// The single source of truth about options: the readers, the validator, `--help`, `--print-config`
/// and docs/options.md all read it. A feature adds its options in its own `Options+Feature.swift`
/// file and one line to `groups`.
public enum OptionRegistry {
    /// One chapter of options.
    public struct Group: Sendable {
        public var title: String
        public var options: [OptionSpec]
    }

    /// Every option, by chapter, in documentation order.
    public static let groups: [Group] = [
        Group(title: "Loading configuration", options: configOptions),
        Group(title: "Logic blocks", options: logicOptions),
        Group(title: "Sockets", options: socketOptions),
        Group(title: "The Python application", options: pythonOptions),
        Group(title: "Mounted apps and request bodies", options: appOptions),
        Group(title: "ASGI and WebSockets", options: asgiOptions),
        Group(title: "Workers and the master", options: workerOptions),
        Group(title: "Scale to zero and adaptive workers", options: cheaperOptions),
        Group(title: "Logging", options: loggingOptions),
        Group(title: "Static files", options: staticOptions),
        Group(title: "Internal routing", options: routingOptions),
        Group(title: "Emperor", options: emperorOptions),
        Group(title: "Attached daemons", options: daemonOptions),
        Group(title: "Cron", options: cronOptions),
        Group(title: "Stats and metrics", options: statsOptions),
        Group(title: "Hooks", options: hookOptions),
        Group(title: "The uwsgi module, caches and the spooler", options: uwsgiAPIOptions),
        Group(title: "uWSGI compatibility", options: compatibilityOptions),
    ].map { group in
        Group(title: group.title, options: group.options.map { spec in
            var spec = spec
            spec.group = group.title
            return spec
        })
    }

    /// Checks that relate several options (each gets the resolved entries and returns problems, each
    /// reported at the last entry of the option it names).
    static let relationChecks: [@Sendable ([ConfigEntry]) -> [(option: String, message: String)]] = [
        cheaperRelations, logRouteRelations, asgiRelations, mountRelations, uwsgiAPIRelations,
    ]

    /// Checks over the resolved entries whose problems belong to one entry (reported at its line).
    static let entryChecks: [@Sendable ([ConfigEntry]) -> [(index: Int, message: String)]] = [
        routeJumpProblems,
    ]

    /// Every option, in documentation order.
    public static let all: [OptionSpec] = groups.flatMap(\.options)

    private static let index: [String: Int] = {
        var index: [String: Int] = [:]
        for (position, spec) in all.enumerated() {
            for name in spec.allNames where index[name] == nil { index[name] = position }
        }
        return index
    }()

    /// The option called `name` (canonical name, alias or notice alias), if any.
    public static func spec(named name: String) -> OptionSpec? {
        index[name].map { all[$0] }
    }

    /// Every name and alias, for did-you-mean suggestions.
    public static var allNames: [String] { all.flatMap(\.allNames) }

    /// The closest option name to a misspelled `name`, if one is close enough to be a likely typo.
    public static func suggestion(for name: String) -> String? {
        let length = name.count
        let limit = max(1, min(3, length / 3))
        var best: (name: String, distance: Int)?
        for candidate in allNames where abs(candidate.count - length) <= limit {
            let distance = EditDistance.between(name, candidate)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= limit else { return nil }
        return best.name
    }
}
