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

/// A config file being read: what its magic variables describe.
struct FileContext: Sendable, Equatable {
    /// The path as the user wrote it (joined to the including file's directory): used in messages.
    var displayPath: String
    /// Absolute, lexically normalized, symlinks not resolved (`%p`).
    var absolutePath: String
    /// The section picked with `F:SECTION` ("" when none): `%x`.
    var section: String
    /// The inode number as text (`%i`), "0" when unknown.
    var inode: String

    /// The directory with a trailing slash (`%d`).
    var directory: String {
        guard let slash = absolutePath.lastIndex(of: "/") else { return "/" }
        return String(absolutePath[...slash])
    }

    /// Identity for include-cycle detection.
    var identity: String { section.isEmpty ? absolutePath : absolutePath + ":" + section }
}
