import Glibc

extension Posix {
    /// Writes `PID\n` to `path` atomically: a temporary file in the same directory, then rename.
    public static func writePidfile(_ path: String, pid: Int32) throws(SystemError) {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = try retrying("open \(temporary)") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        do {
            try writeAll(fd, "\(pid)\n")
            close(fd)
            try rename(temporary, to: path)
        } catch {
            close(fd)
            try? removeFile(temporary)
            throw error
        }
    }

    /// `logto`: opens `path` for appending (created 0644) and puts it on fds 1 and 2, so this process's
    /// log lines and the children's output (they inherit fds 1 and 2) go there. A missing directory throws.
    public static func openLogFile(_ path: String) throws(SystemError) {
        let fd = try openForAppend(path)
        defer { close(fd) }
        _ = try retrying("dup2 \(path) -> 1") { dup2(fd, 1) }
        _ = try retrying("dup2 \(path) -> 2") { dup2(fd, 2) }
    }
}
