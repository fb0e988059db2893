import Glibc

/// `uid` / `gid`: who the master (and every child it spawns afterwards) runs as.
public struct PrivilegeDrop: Sendable, Equatable {
    public var userID: uid_t?
    public var groupID: gid_t?
    /// Supplementary groups come from this user's entries in the group database (initgroups).
    public var userName: String?

    /// Resolves names or numbers; an unknown name throws (`unknown user "x"`).
    public init(user: String?, group: String?) throws(SystemError) {
        if let user, !user.isEmpty {
            if let number = UInt32(user) {
                userID = number
                if let entry = getpwuid(number) {
                    userName = String(cString: entry.pointee.pw_name)
                    groupID = entry.pointee.pw_gid
                }
            } else {
                guard let entry = getpwnam(user) else { throw SystemError(call: "unknown user \"\(user)\"", errno: 0) }
                userID = entry.pointee.pw_uid
                groupID = entry.pointee.pw_gid
                userName = user
            }
        }
        if let group, !group.isEmpty { groupID = try Posix.groupID(group) }
    }

    public var isEmpty: Bool { userID == nil && groupID == nil }

    /// The effective uid of this process is 0.
    public static var runningAsRoot: Bool { geteuid() == 0 }

    /// setgroups/initgroups, setgid, then setuid (the order that still has the right to do the next step),
    /// and checks that root cannot be regained.
    public func apply() throws(SystemError) {
        if let groupID {
            if let userName, userID != nil {
                _ = try checked("initgroups \(userName)") { initgroups(userName, groupID) }
            } else {
                var groups = [groupID]
                _ = try checked("setgroups \(groupID)") { setgroups(1, &groups) }
            }
            _ = try checked("setgid \(groupID)") { setgid(groupID) }
        }
        if let userID {
            if groupID == nil {
                var groups: [gid_t] = []
                _ = try checked("setgroups") { setgroups(0, &groups) }
            }
            _ = try checked("setuid \(userID)") { setuid(userID) }
            if userID != 0, setuid(0) == 0 { throw SystemError(call: "setuid \(userID): root could be regained", errno: EPERM) }
        }
    }
}
