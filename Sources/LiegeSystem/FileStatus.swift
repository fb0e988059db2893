import Glibc

/// What the emperor compares between two scans of a vassal file: device, inode, modification and
/// change times to the nanosecond, size, and the owner (for `emperor-tyrant`).
public struct FileStatus: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64
    public var size: Int
    public var owner: UInt32
    public var group: UInt32
    public var isRegularFile: Bool
    public var isDirectory: Bool

    public init(device: UInt64, inode: UInt64, modifiedNanoseconds: Int64, changedNanoseconds: Int64, size: Int,
                owner: UInt32, group: UInt32, isRegularFile: Bool = true, isDirectory: Bool = false) {
        self.device = device
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
        self.size = size
        self.owner = owner
        self.group = group
        self.isRegularFile = isRegularFile
        self.isDirectory = isDirectory
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changedNanoseconds = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        size = Int(info.st_size)
        owner = info.st_uid
        group = info.st_gid
        let kind = info.st_mode & S_IFMT
        isRegularFile = kind == S_IFREG
        isDirectory = kind == S_IFDIR
    }
}

extension Posix {
    /// stat (following symlinks) or, with `followLinks: false`, lstat of `path`; nil when it does not exist
    /// (or a symlink points nowhere).
    public static func fileStatus(_ path: String, followLinks: Bool = true) -> FileStatus? {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? FileStatus(info) : nil
    }

    /// Names in a directory (without `.` and `..`), unsorted; throws when it cannot be opened.
    public static func directoryEntries(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw SystemError(call: "opendir \(path)", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Paths matching a shell pattern (glob(3)), sorted; empty when nothing matches.
    public static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }

    /// Whether `name` matches the shell pattern `pattern` (fnmatch(3), no flags).
    public static func matches(_ name: String, pattern: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    /// The canonical absolute path (realpath(3)); nil when it does not resolve.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Changes this process's working directory.
    public static func changeDirectory(_ path: String) throws(SystemError) {
        _ = try checked("chdir \(path)") { chdir(path) }
    }

    /// This process's working directory.
    public static var workingDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
    }
}
