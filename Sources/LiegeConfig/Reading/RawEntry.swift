/// One `key = value` as read from a source, before expansion and validation.
struct RawEntry: Sendable {
    /// The key as written (may be an alias, a placeholder or a typo).
    var key: String
    var value: String
    /// "shop.ini:3", "app.yaml:4:7" or "command line: --processes".
    var location: String
    /// Given without a value (bare INI key, bare `--flag`, empty YAML value).
    var isBare: Bool = false
    /// The file it was read from (for lower-case magic variables and `@(...)`); nil for the command line.
    var file: FileContext?
    /// Declared with `set`/`set-placeholder`, so never an unknown key.
    var isDeclared: Bool = false
}
