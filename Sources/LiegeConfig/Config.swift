/// The fully loaded, expanded and validated configuration of one app (one master).
///
/// INTERFACE CONTRACT (other targets code against exactly these members):
/// - `Config.load(arguments:environment:workingDirectory:)` reads every source named on the command line.
/// - `config[.option]` gives an option's typed value (`Option`, declared beside the option in the
///   registry): the value was parsed when the config was loaded, so reading never fails; unset, it is the
///   registry default. Code outside LiegeConfig reads options only this way: the getters by name below
///   are internal to LiegeConfig.
/// - `serialized()` / `init(serialized:)` round-trip the resolved entries without re-expanding
///   placeholders (the master hands this text to each worker).
public struct Config: Sendable {
    /// Resolved entries in order (canonical option names, expanded values in canonical form:
    /// booleans `true`/`false`, numbers in decimal, sizes in bytes).
    public private(set) var entries: [ConfigEntry]
    /// The typed value of every entry (`config[.option]`), parsed once.
    let parsed: ParsedEntries
    /// The app's name: the first config file's name without extension ("shop" for shop.ini), else "liege".
    public var name: String
    /// The first config file given (absolute), if any: the master re-reads it on reload.
    public var sourceFile: String?
    /// The arguments it was loaded from, so a reload can load it again the same way.
    public var arguments: [String]

    /// A config of entries that were not loaded here (a test's): their typed values are parsed now.
    public init(entries: [ConfigEntry], name: String, sourceFile: String?, arguments: [String]) {
        self.init(entries: entries, parsed: ParsedEntries(parsing: entries), name: name, sourceFile: sourceFile,
                  arguments: arguments)
    }

    init(entries: [ConfigEntry], parsed: ParsedEntries, name: String, sourceFile: String?, arguments: [String]) {
        self.entries = entries
        self.parsed = parsed
        self.name = name
        self.sourceFile = sourceFile
        self.arguments = arguments
    }

    /// Effective value of a scalar option: the last one assigned, else the registry default (nil if none).
    func string(_ option: String) -> String? {
        let spec = Self.spec(option)
        if let last = entries.last(where: { $0.key == option }) { return last.value }
        return spec?.defaultValue
    }

    /// Every value of a list option, in order (empty when never set).
    func list(_ option: String) -> [String] {
        _ = Self.spec(option)
        return entries.filter { $0.key == option }.map(\.value)
    }

    /// A boolean option (`true` when set to true/yes/on/1, else its default, else false).
    func bool(_ option: String) -> Bool {
        guard let value = string(option)?.lowercased() else { return false }
        return OptionValidator.booleans[value] ?? false
    }

    /// An integer option (also secs, ms, MB: the number as written), 0 when unset without default.
    func int(_ option: String) -> Int {
        string(option).flatMap { Int($0) } ?? 0
    }

    /// A `secs` option, in seconds.
    func seconds(_ option: String) -> Int { int(option) }

    /// An `ms` option, in milliseconds.
    func milliseconds(_ option: String) -> Int { int(option) }

    /// An `MB` option, in megabytes.
    func megabytes(_ option: String) -> Int { int(option) }

    /// A `bytes` option, in bytes (`64K` was stored as 65536).
    func bytes(_ option: String) -> Int { int(option) }

    /// An `octal` option as a number (`chmod-socket = 660` -> 0o660), nil when unset.
    func octal(_ option: String) -> Int? {
        string(option).flatMap { Int($0, radix: 8) }
    }

    /// Whether the option was given in some source (defaults do not count).
    func isSet(_ option: String) -> Bool {
        _ = Self.spec(option)
        return entries.contains { $0.key == option }
    }

    /// The registry entry of a canonical option name; an unknown name is a programmer error.
    private static func spec(_ option: String) -> OptionSpec? {
        let spec = OptionRegistry.spec(named: option)
        precondition(spec?.name == option, "\"\(option)\" is not a canonical option name in OptionRegistry")
        return spec
    }
}

public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
