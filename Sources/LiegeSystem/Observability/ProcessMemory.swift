import Glibc

/// Memory of a process from /proc/PID/statm (for stats: read per stats request, never per HTTP request).
public struct ProcessMemory: Sendable, Equatable {
    public var residentBytes: Int
    public var virtualBytes: Int

    /// nil when the process is gone.
    public static func of(_ pid: Int32) -> ProcessMemory? {
        guard pid > 0, let bytes = try? Posix.readFile("/proc/\(pid)/statm") else { return nil }
        return parse(statm: String(decoding: bytes, as: UTF8.self), pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))
    }

    static func parse(statm: String, pageSize: Int) -> ProcessMemory? {
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let size = Int(fields[0]), let resident = Int(fields[1]) else { return nil }
        return ProcessMemory(residentBytes: resident * pageSize, virtualBytes: size * pageSize)
    }
}
