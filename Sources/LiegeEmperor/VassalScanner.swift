import LiegeSystem

/// Where vassals come from: one `emperor` value, a directory or a glob (`/etc/liege/vassals/*.ini`).
public struct VassalSource: Sendable, Equatable {
    /// The directory (itself possibly a glob pattern).
    public var directory: String
    /// A pattern the file names must match, nil = every vassal file.
    public var namePattern: String?

    public init(directory: String, namePattern: String? = nil) {
        self.directory = directory
        self.namePattern = namePattern
    }

    /// `DIR` or `DIR/PATTERN` when the last component holds `*`, `?` or `[`; relative paths are made
    /// absolute against `workingDirectory`.
    public init(_ value: String, workingDirectory: String) {
        var text = value.hasPrefix("/") ? value : workingDirectory + "/" + value
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        let slash = text.lastIndex(of: "/") ?? text.startIndex
        let last = String(text[text.index(after: slash)...])
        if Self.isPattern(last) {
            let parent = String(text[..<slash])
            self.init(directory: parent.isEmpty ? "/" : parent, namePattern: last)
        } else {
            self.init(directory: text)
        }
    }

    static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The directories this source names now (a glob in the directory part is expanded).
    func directories() -> [String] {
        Self.isPattern(directory) ? Posix.glob(directory) : [directory]
    }
}

/// One scan of every source: the vassal files found, keyed by file name, and the names refused because
/// a second directory holds the same file name (SPEC.md §12.1).
public struct ScanResult: Sendable, Equatable {
    public var files: [String: VassalFile] = [:]
    public var conflicts: [String] = []
    /// Directories that could not be read (missing, permissions), with the reason.
    public var unreadable: [String] = []
}

/// Lists and stats vassal files. The file system is reached through two closures so that tests can hand
/// it fake listings; `VassalScanner.live` uses the real one.
public struct VassalScanner: Sendable {
    public var sources: [VassalSource]
    public var followLinks: Bool
    public var list: @Sendable (String) -> [String]?
    public var status: @Sendable (_ path: String, _ follow: Bool) -> FileStatus?
    public var read: @Sendable (_ path: String) -> [UInt8]?

    public init(sources: [VassalSource], followLinks: Bool,
                list: @escaping @Sendable (String) -> [String]?,
                status: @escaping @Sendable (String, Bool) -> FileStatus?,
                read: @escaping @Sendable (String) -> [UInt8]? = { _ in nil }) {
        self.sources = sources
        self.followLinks = followLinks
        self.list = list
        self.status = status
        self.read = read
    }

    public static func live(sources: [VassalSource], followLinks: Bool) -> VassalScanner {
        VassalScanner(sources: sources, followLinks: followLinks,
                      list: { try? Posix.directoryEntries($0) },
                      status: { Posix.fileStatus($0, followLinks: $1) },
                      read: { try? Posix.readFile($0) })
    }

    /// Lists every source now. A file whose stamps match its entry in `previous` keeps that entry's
    /// content digest instead of being read again.
    public func scan(previous: [String: VassalFile] = [:]) -> ScanResult {
        var result = ScanResult()
        for source in sources {
            for directory in source.directories() {
                guard let names = list(directory) else {
                    result.unreadable.append(directory)
                    continue
                }
                for name in names.sorted() {
                    guard let kind = VassalFile.kind(ofName: name) else { continue }
                    if let pattern = source.namePattern, !Posix.matches(name, pattern: pattern) { continue }
                    let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                    guard let link = status(path, false) else { continue }
                    let isLink = !link.isRegularFile && !link.isDirectory
                    let target = isLink && followLinks ? status(path, true) : (isLink ? nil : link)
                    if followLinks { guard let target, target.isRegularFile else { continue } }
                    if link.isDirectory { continue }
                    var file = VassalFile(fileName: name, directory: directory, kind: kind, target: target,
                                          link: isLink ? link : nil)
                    if let known = previous[name], known.path == path, !file.stampsDiffer(from: known) {
                        file.contentDigest = known.contentDigest
                    } else {
                        file.contentDigest = read(path).map(VassalFile.digest)
                    }
                    if let existing = result.files[name], existing.directory != directory {
                        result.conflicts.append("\(existing.path) and \(path) are both vassal \"\(name)\": \(path) ignored")
                        continue
                    }
                    result.files[name] = file
                }
            }
        }
        return result
    }
}

/// What changed between two scans.
public struct ScanDiff: Sendable, Equatable {
    public var added: [VassalFile] = []
    public var changed: [VassalFile] = []
    public var removed: [VassalFile] = []

    public init(from old: [String: VassalFile], to new: [String: VassalFile]) {
        for name in new.keys.sorted() {
            guard let file = new[name] else { continue }
            if let before = old[name] {
                if file.differs(from: before) { changed.append(file) }
            } else {
                added.append(file)
            }
        }
        for name in old.keys.sorted() where new[name] == nil {
            if let file = old[name] { removed.append(file) }
        }
    }

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
}
