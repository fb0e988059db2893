/// The kind of value an option takes. Every value is text in a config file; the type says which text
/// is valid and how it is normalized (see `OptionType.normalize`).
public enum OptionType: String, Sendable, CaseIterable {
    case string, bool, int, seconds, milliseconds, megabytes, bytes, path, address, octal, keyValue, user

    /// The short name shown in `--help` and docs/options.md.
    public var displayName: String {
        switch self {
        case .string: "string"
        case .bool: "bool"
        case .int: "int"
        case .seconds: "secs"
        case .milliseconds: "ms"
        case .megabytes: "MB"
        case .bytes: "bytes"
        case .path: "path"
        case .address: "addr"
        case .octal: "octal"
        case .keyValue: "k=v"
        case .user: "user"
        }
    }

    /// Numbers and booleans: in INI they may carry a trailing ` ; comment`, dropped with a warning.
    public var dropsTrailingComment: Bool {
        switch self {
        case .bool, .int, .seconds, .milliseconds, .megabytes, .bytes, .octal: true
        default: false
        }
    }

    /// The metavariable shown after the option name in `--help`.
    var metavariable: String {
        switch self {
        case .string: "STR"
        case .bool: ""
        case .int, .seconds, .milliseconds, .megabytes: "N"
        case .bytes: "SIZE"
        case .path: "PATH"
        case .address: "ADDR"
        case .octal: "MODE"
        case .keyValue: "K=V"
        case .user: "USER"
        }
    }
}
