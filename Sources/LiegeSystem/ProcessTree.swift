extension Processes {
    /// The direct children of `pid` (from /proc/PID/task/*/children); empty when it is gone.
    public static func children(of pid: Int32) -> [Int32] {
        guard let tasks = try? Posix.directoryEntries("/proc/\(pid)/task") else { return [] }
        var result: [Int32] = []
        for task in tasks {
            guard let bytes = try? Posix.readFile("/proc/\(pid)/task/\(task)/children") else { continue }
            result += String(decoding: bytes, as: UTF8.self).split(separator: " ").compactMap { Int32($0) }
        }
        return result
    }
}
