/// Lexical path helpers (no file system access, symlinks never resolved).
enum PathText {
    /// `path` made absolute against `directory` and normalized (`.`, `..`, `//` removed).
    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` as shown to the user: relative paths are joined to the including file's shown directory.
    static func display(_ path: String, relativeTo shownFile: String?) -> String {
        guard !path.hasPrefix("/"), let shownFile, let slash = shownFile.lastIndex(of: "/") else { return path }
        return String(shownFile[...slash]) + path
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? ""
    }

    /// File name without its last extension, and the extension without the dot.
    static func splitExtension(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }
}
