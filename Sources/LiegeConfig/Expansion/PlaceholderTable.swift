/// The values `%(name)` can refer to: every option and placeholder of the assembled config, each
/// expanded on first use (so forward references and nesting work), with cycle detection.
final class PlaceholderTable {
    struct Symbol {
        var value: String
        var file: FileContext?
        var mode: OptionSpec.Expansion
        var isDefault = false
    }

    static let maximumChain = 100

    /// Replaced when the main file becomes known (upper-case magic variables).
    var expander: Expander
    private var symbols: [String: Symbol] = [:]
    private var resolved: [String: String] = [:]
    private var resolving: [String] = []
    /// Every name some value asked for (to tell placeholders from typos).
    private(set) var referenced: Set<String> = []

    init(expander: Expander) {
        self.expander = expander
    }

    /// Records an assignment. `effective` decides whether it replaces an earlier one: scalars and
    /// placeholders keep the last value, list options their first entry.
    func assign(_ name: String, _ symbol: Symbol, keepFirst: Bool) {
        if keepFirst, let existing = symbols[name], !existing.isDefault { return }
        symbols[name] = symbol
    }

    /// Registry defaults answer for options that were never set.
    func assignDefault(_ name: String, _ value: String, mode: OptionSpec.Expansion) {
        if symbols[name] == nil { symbols[name] = Symbol(value: value, file: nil, mode: mode, isDefault: true) }
    }

    func isDefined(_ name: String) -> Bool { symbols[name] != nil }

    /// The unexpanded effective value of an option or placeholder that was set (`if-opt`).
    func rawValue(of name: String) -> String? {
        guard let symbol = symbols[OptionRegistry.spec(named: name)?.name ?? name], !symbol.isDefault else { return nil }
        return symbol.value
    }

    /// Records one entry read from a source.
    func add(_ entry: RawEntry) {
        let spec = OptionRegistry.spec(named: entry.key)
        var value = entry.value
        if entry.isBare, let bare = spec?.bareValue { value = bare }
        assign(spec?.name ?? entry.key, Symbol(value: value, file: entry.file, mode: spec?.expansion ?? .full),
               keepFirst: spec?.repeatable ?? false)
    }

    /// Forgets expanded values (more entries arrived while reading).
    func forgetResolved() {
        if !resolved.isEmpty { resolved = [:] }
    }

    /// The expanded value of `name`, nil when it is neither an option nor a placeholder.
    func value(of name: String) throws(Expander.Failure) -> String? {
        let name = OptionRegistry.spec(named: name)?.name ?? name
        referenced.insert(name)
        if let done = resolved[name] { return done }
        guard let symbol = symbols[name] else { return nil }
        if let start = resolving.firstIndex(of: name) {
            let chain = (resolving[start...] + [name]).joined(separator: " -> ")
            throw Expander.Failure(message: "placeholder cycle: \(chain)")
        }
        guard resolving.count < Self.maximumChain else {
            throw Expander.Failure(message: "placeholders nested deeper than \(Self.maximumChain) levels")
        }
        resolving.append(name)
        defer { resolving.removeLast() }
        let value = try expand(symbol.value, file: symbol.file, mode: symbol.mode)
        resolved[name] = value
        return value
    }

    /// Expands one value against this table.
    func expand(_ text: String, file: FileContext?, mode: OptionSpec.Expansion) throws(Expander.Failure) -> String {
        try expander.expand(text, file: file, mode: mode) { (name: String) throws(Expander.Failure) -> String? in
            try self.value(of: name)
        }
    }
}

extension PlaceholderTable {
    /// A table of every option and placeholder in `entries`, plus the registry defaults.
    static func build(entries: [RawEntry], host: HostFacts, mainFile: FileContext?) -> PlaceholderTable {
        let table = PlaceholderTable(expander: Expander(magic: MagicVariables(host: host, mainFile: mainFile)))
        for entry in entries { table.add(entry) }
        for spec in OptionRegistry.all {
            if let value = spec.defaultValue { table.assignDefault(spec.name, value, mode: spec.expansion) }
        }
        return table
    }
}
