/// The typed values of a config's entries, parsed once (by the loader while validating, or when a worker
/// reads the config the master handed it) and shared read-only by every thread.
final class ParsedEntries: Sendable {
    /// Every entry's value, in config order.
    let ordered: [(name: String, value: any Sendable)]
    private let byName: [String: [any Sendable]]

    init(_ ordered: [(name: String, value: any Sendable)]) {
        self.ordered = ordered
        var byName: [String: [any Sendable]] = [:]
        for entry in ordered { byName[entry.name, default: []].append(entry.value) }
        self.byName = byName
    }

    /// Parses entries that were not loaded here (the master's serialized config, or a test's). A value
    /// that does not parse cannot come from the loader, which refused it with a located error; it is
    /// left out, as is a key that is no option.
    convenience init(parsing entries: [ConfigEntry]) {
        self.init(entries.compactMap { entry in
            guard let spec = OptionRegistry.spec(named: entry.key), case .success(let parsed) = spec.parse(entry.value) else {
                return nil
            }
            return (spec.name, parsed.value)
        })
    }

    func values(of name: String) -> [any Sendable] {
        byName[name] ?? []
    }
}

extension OptionRegistry {
    private static let parsedDefaults: [String: any Sendable] = {
        var defaults: [String: any Sendable] = [:]
        for spec in all where spec.role == .setting {
            if let text = spec.defaultValue {
                if case .success(let parsed) = spec.parse(text) { defaults[spec.name] = parsed.value }
            } else if spec.type == .bool {
                defaults[spec.name] = false
            }
        }
        return defaults
    }()

    /// The default of an option as its typed value (false for a boolean without one), nil when it has none.
    static func parsedDefault(of name: String) -> (any Sendable)? {
        parsedDefaults[name]
    }

    /// Options whose registry default does not pass their own parser (a registry mistake; a unit test keeps it empty).
    static var unparsableDefaults: [String] {
        all.filter { $0.role == .setting && $0.defaultValue != nil && parsedDefaults[$0.name] == nil }.map(\.name)
    }
}
