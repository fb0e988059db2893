import LiegeSystem

/// A vassal file as one scan saw it: identity is the file name (`shop.ini`), the vassal's name is the
/// file name without extension (`shop`), the path is absolute with symlinks left alone (SPEC.md §12.1).
public struct VassalFile: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case ini, yaml
    }

    public var fileName: String
    public var directory: String
    public var kind: Kind
    /// What is compared between scans: the target's status (through symlinks) and, for a symlink, the
    /// link's own (with `emperor-nofollow` only the link's).
    public var target: FileStatus?
    public var link: FileStatus?
    /// FNV-1a of the content: a file replaced by an identical copy (a ConfigMap update that left this
    /// vassal's content alone) is not a change; nil when unreadable.
    public var contentDigest: UInt64?

    public init(fileName: String, directory: String, kind: Kind, target: FileStatus?, link: FileStatus? = nil,
                contentDigest: UInt64? = nil) {
        self.fileName = fileName
        self.directory = directory
        self.kind = kind
        self.target = target
        self.link = link
        self.contentDigest = contentDigest
    }

    public var path: String { directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName }

    public var name: String {
        guard let dot = fileName.lastIndex(of: ".") else { return fileName }
        return String(fileName[..<dot])
    }

    /// Whether the file changed in a way that matters (SPEC.md §12.1): device, inode, mtime and ctime to the
    /// nanosecond, size, of the target and of the link. A file that is now another file (new device or
    /// inode, as after a ConfigMap `..data` swap or an editor's save-by-rename) counts only when its
    /// content differs; the same file touched or written in place always counts.
    public func differs(from other: VassalFile) -> Bool {
        if path != other.path { return true }
        guard stampsDiffer(from: other) else { return false }
        let sameFile = target?.device == other.target?.device && target?.inode == other.target?.inode
        return sameFile || contentDigest == nil || contentDigest != other.contentDigest
    }

    /// Whether device, inode, mtime, ctime or size of the target or of the link differ.
    public func stampsDiffer(from other: VassalFile) -> Bool {
        Self.stamp(target) != Self.stamp(other.target) || Self.stamp(link) != Self.stamp(other.link)
    }

    /// 64-bit FNV-1a.
    public static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The owner that tyrant mode runs the vassal as: the target's (the link's with nofollow).
    public var owner: (uid: UInt32, gid: UInt32)? {
        guard let status = target ?? link else { return nil }
        return (status.owner, status.group)
    }

    private struct Stamp: Equatable {
        var device: UInt64, inode: UInt64, modified: Int64, changed: Int64, size: Int
    }

    private static func stamp(_ status: FileStatus?) -> Stamp? {
        status.map { Stamp(device: $0.device, inode: $0.inode, modified: $0.modifiedNanoseconds,
                           changed: $0.changedNanoseconds, size: $0.size) }
    }

    /// `*.ini`, `*.yaml`, `*.yml`, not hidden, not an editor's swap or backup file; nil otherwise.
    public static func kind(ofName name: String) -> Kind? {
        guard !name.hasPrefix("."), !name.hasPrefix("#"), !name.hasSuffix("~") else { return nil }
        if name.hasSuffix(".ini"), name.count > 4 { return .ini }
        if name.hasSuffix(".yaml"), name.count > 5 { return .yaml }
        if name.hasSuffix(".yml"), name.count > 4 { return .yaml }
        return nil
    }
}
