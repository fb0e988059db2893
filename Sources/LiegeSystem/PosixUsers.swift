import Glibc

extension Posix {
    /// A user name or number to its uid; an unknown name throws ("unknown user ...").
    public static func userID(_ name: String) throws(SystemError) -> uid_t {
        if let number = UInt32(name) { return number }
        guard let entry = getpwnam(name) else { throw SystemError(call: "unknown user \"\(name)\"", errno: 0) }
        return entry.pointee.pw_uid
    }

    /// A group name or number to its gid; an unknown name throws ("unknown group ...").
    public static func groupID(_ name: String) throws(SystemError) -> gid_t {
        if let number = UInt32(name) { return number }
        guard let entry = getgrnam(name) else { throw SystemError(call: "unknown group \"\(name)\"", errno: 0) }
        return entry.pointee.gr_gid
    }
}
