import Glibc

extension Processes {
    /// Whether process `pid` exists (kill 0; a process we may not signal counts as existing).
    public static func exists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return Glibc.kill(pid, 0) == 0 || errno == EPERM
    }
}

extension Posix {
    /// The primary group of user `name` (or number), nil when unknown.
    public static func primaryGroupID(ofUser name: String) -> UInt32? {
        if let number = UInt32(name) { return getpwuid(number).map { $0.pointee.pw_gid } }
        return getpwnam(name).map { $0.pointee.pw_gid }
    }
}
