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
