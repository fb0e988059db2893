import Glibc

/// Who and where this process runs: what config placeholders such as `%h`, `%U` and `%k` read.
public enum HostIdentity {
    /// The kernel's host name, as `hostname` prints it (no DNS lookup).
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The processors this process may run on.
    public static var processorCount: Int {
        max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }

    public static var effectiveUserID: Int { Int(geteuid()) }
    public static var effectiveGroupID: Int { Int(getegid()) }

    /// The user name of `uid`, nil when the user database has none.
    public static func userName(_ uid: Int) -> String? {
        guard let entry = getpwuid(uid_t(truncatingIfNeeded: uid)) else { return nil }
        return String(cString: entry.pointee.pw_name)
    }

    /// The group name of `gid`, nil when the group database has none.
    public static func groupName(_ gid: Int) -> String? {
        guard let entry = getgrgid(gid_t(truncatingIfNeeded: gid)) else { return nil }
        return String(cString: entry.pointee.gr_name)
    }

    /// The absolute path of the running executable (`/proc/self/exe`).
    public static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
