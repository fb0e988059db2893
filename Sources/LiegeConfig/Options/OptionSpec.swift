/// One option of the registry: everything the readers, the validator, `--help`, `--print-config`
/// and docs/options.md know about it.
public struct OptionSpec: Sendable {
    /// How `$(...)` and `%(...)` treat the option's values.
    public enum Expansion: Sendable {
        /// Everything is expanded at load time (the normal case).
        case full
        /// `%(name)` that names no option or placeholder stays for request time (log-format).
        case keepsRequestVariables
        /// `$(...)` stays for the shell (daemon and cron commands).
        case keepsShellVariables
    }

    /// What the loader does with the option.
    public enum Role: Sendable {
        /// A real setting, stored in `Config.entries`.
        case setting
        /// Consumed while reading (ini, yaml, include, inherit, set, set-placeholder): never stored.
        case directive
    }

    public var name: String
    public var aliases: [String]
    public var type: OptionType
    public var defaultValue: String?
    public var repeatable: Bool
    public var help: String
    /// The chapter of docs/options.md and `--help`.
    public var group: String
    /// The value of a bare `--name` / bare INI key / empty YAML value; nil = a value is required.
    public var bareValue: String?
    /// Words accepted in place of a value (`http-keepalive = true` means 5), matched case-insensitively.
    public var valueWords: [String: String]
    /// Inclusive limits of numeric options.
    public var range: ClosedRange<Int>?
    /// Names that are accepted but print a notice on stderr (`http` -> `http-socket`).
    public var noticeAliases: [String: String]
    public var expansion: Expansion
    public var role: Role
    /// An extra check of the normalized value (a regex that must compile...): the message, or nil when fine.
    public var check: (@Sendable (String) -> String?)?
    /// The option's own grammar, when its value is more than its type (a cron line, an expires rule...);
    /// nil: the type's (`OptionParser.standard`). Its failure is the config error.
    public var parser: OptionParser?

    public init(
        _ name: String, aliases: [String] = [], type: OptionType, default defaultValue: String? = nil,
        repeatable: Bool = false, help: String, group: String = "", bareValue: String? = nil,
        valueWords: [String: String] = [:], range: ClosedRange<Int>? = nil,
        noticeAliases: [String: String] = [:], expansion: Expansion = .full, role: Role = .setting,
        check: (@Sendable (String) -> String?)? = nil, parser: OptionParser? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.type = type
        self.defaultValue = defaultValue
        self.repeatable = repeatable
        self.help = help
        self.group = group
        self.bareValue = bareValue ?? (type == .bool ? "true" : nil)
        self.valueWords = valueWords
        self.range = range
        self.noticeAliases = noticeAliases
        self.expansion = expansion
        self.role = role
        self.check = check
        self.parser = parser
    }

    /// Every name the option answers to, canonical first.
    public var allNames: [String] { [name] + aliases + noticeAliases.keys.sorted() }
}
