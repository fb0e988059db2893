import Glibc

/// What is at a path, for the routing conditions `exists`, `isfile`, `isdir`, `islink`, `isexec`.
public struct PathKind: Sendable, Equatable {
    /// Something is there once symlinks are followed (false for a dangling link).
    public var exists: Bool
    public var isFile: Bool
    public var isDirectory: Bool
    /// The path itself is a symbolic link (whatever it points to).
    public var isLink: Bool
    /// The worker may execute it (access X_OK).
    public var isExecutable: Bool

    public init(exists: Bool = true, isFile: Bool, isDirectory: Bool, isLink: Bool, isExecutable: Bool) {
        self.exists = exists
        self.isFile = isFile
        self.isDirectory = isDirectory
        self.isLink = isLink
        self.isExecutable = isExecutable
    }
}

extension StaticFileSystem {
    /// The kind of what `path` names (symlinks followed, except for `isLink`); nil when nothing is there
    /// (a dangling symlink is a link that does not exist).
    public static func kind(of path: [UInt8]) -> PathKind? {
        path.withUnsafeBufferPointer { buffer in
            withNulTerminated(buffer) { name -> PathKind? in
                var info = stat()
                let isLink = lstat(name, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
                guard stat(name, &info) == 0 else {
                    return isLink ? PathKind(exists: false, isFile: false, isDirectory: false, isLink: true, isExecutable: false) : nil
                }
                let type = info.st_mode & S_IFMT
                return PathKind(isFile: type == S_IFREG, isDirectory: type == S_IFDIR, isLink: isLink,
                                isExecutable: access(name, X_OK) == 0)
            }
        }
    }
}
