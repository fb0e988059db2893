import Glibc

/// The real user and group of this process (the stats `uid` and `gid`).
public struct ProcessIdentity: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32

    public static var current: ProcessIdentity {
        ProcessIdentity(uid: getuid(), gid: getgid())
    }
}
