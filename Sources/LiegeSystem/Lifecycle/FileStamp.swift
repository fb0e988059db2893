/// What identifies a version of a file for `touch-reload`: device, inode, and modification and status
/// change times in nanoseconds, following symlinks (a ConfigMap-style swap gives a new inode).
public struct FileStamp: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// The stamp of `path` now; nil when it does not exist (or cannot be reached).
    public static func of(path: String) -> FileStamp? {
        Posix.fileStatus(path).map { status in
            FileStamp(device: status.device, inode: status.inode, modifiedNanoseconds: status.modifiedNanoseconds,
                      changedNanoseconds: status.changedNanoseconds)
        }
    }
}
