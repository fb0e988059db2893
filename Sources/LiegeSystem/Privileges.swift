import Glibc

extension Posix {
    /// Becomes `uid`/`gid` for good: supplementary groups first (those of `groupsOf` with initgroups(3),
    /// else none), then setgid, then setuid. Fails when not permitted.
    public static func becomeUser(uid: UInt32, gid: UInt32, groupsOf user: String?) throws(SystemError) {
        if let user {
            _ = try checked("initgroups \(user)") { initgroups(user, gid) }
        } else {
            _ = try checked("setgroups") { setgroups(0, nil) }
        }
        _ = try checked("setgid \(gid)") { setgid(gid) }
        _ = try checked("setuid \(uid)") { setuid(uid) }
    }

    /// The login name of `uid`, nil when it has none.
    public static func userName(of uid: UInt32) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The effective uid and gid of this process.
    public static var effectiveUser: (uid: UInt32, gid: UInt32) { (geteuid(), getegid()) }

    /// Sets (or with nil removes) an environment variable of this process.
    public static func setEnvironment(_ name: String, _ value: String?) {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }

    /// Sets or clears FD_CLOEXEC on `fd`.
    public static func setCloseOnExec(_ fd: Int32, _ enabled: Bool) throws(SystemError) {
        let flags = try checked("fcntl F_GETFD \(fd)") { fcntl(fd, F_GETFD) }
        let wanted = enabled ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC
        if wanted != flags { _ = try checked("fcntl F_SETFD \(fd)") { fcntl(fd, F_SETFD, wanted) } }
    }

    /// A connected pair of unix stream sockets, both close-on-exec: a two-way pipe whose ends see end of
    /// file when the other side's process dies.
    public static func socketPair() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try checked("socketpair") {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        return (fds[0], fds[1])
    }

    /// dup2 + close-on-exec: makes `target` refer to what `source` refers to (closing `target` first).
    public static func replace(_ target: Int32, with source: Int32) throws(SystemError) {
        _ = try retrying("dup2 \(source) \(target)") { dup2(source, target) }
        try setCloseOnExec(target, true)
    }

    /// Sends signal `signal` to this process.
    public static func raise(_ signal: UnixSignal) {
        _ = Glibc.kill(getpid(), signal.rawValue)
    }
}
