import CSystem
import Glibc

/// What preloading (`lazy-apps = false`) needs from the kernel: a fork whose new process the master
/// reaps, the master's subreaper flag, the thread count that must be 1 at fork time, and the descriptor
/// shuffle of a new worker. Only a single-threaded process may call `forkDetached` (PLATFORM.md).
public enum Forking {
    public enum Side: Equatable, Sendable {
        /// In the new process.
        case child
        /// In the caller: the new process's pid, and the middle process to reap (`reapMiddle`).
        case parent(child: Int32, middle: Int32)
    }

    /// fork() twice (the middle process exits at once): the new process becomes a child of the nearest
    /// subreaper ancestor, the master, which supervises and reaps it like a spawned worker. The caller
    /// reaps the middle one with `reapMiddle` (after answering the master: its exit takes a moment).
    public static func forkDetached() throws(SystemError) -> Side {
        var middle: Int32 = 0
        let result = csystem_fork_detached(&middle)
        if result < 0 {
            if middle > 0 { reapMiddle(middle) }
            throw SystemError(call: "fork", errno: -result)
        }
        return result == 0 ? .child : .parent(child: result, middle: middle)
    }

    /// Waits for the middle process of `forkDetached`.
    public static func reapMiddle(_ pid: Int32) {
        _ = Processes.wait(for: pid)
    }

    /// Makes this process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER).
    public static func becomeSubreaper() throws(SystemError) {
        _ = try checked("prctl PR_SET_CHILD_SUBREAPER") { csystem_set_child_subreaper() }
    }

    /// Threads of this process now (`Threads:` of /proc/self/status); nil when it cannot be read.
    public static var threadCount: Int? {
        guard let bytes = try? Posix.readFile("/proc/self/status") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).drop(while: { $0 == " " || $0 == "\t" }))
        }
        return nil
    }

    /// Leads a new process group of its own (pgid = pid), as spawned workers do.
    public static func leadNewProcessGroup() throws(SystemError) {
        _ = try checked("setpgid") { setpgid(0, 0) }
    }

    /// Puts `fd` on `target` (dup2, which leaves `target` inheritable) and closes `fd`.
    public static func move(_ fd: Int32, to target: Int32) throws(SystemError) {
        guard fd != target else { return }
        _ = try retrying("dup2 \(fd) -> \(target)") { dup2(fd, target) }
        Posix.close(fd)
    }

    /// Puts `fd` on `target` too (dup2), keeping `fd` open.
    public static func copy(_ fd: Int32, to target: Int32) throws(SystemError) {
        guard fd != target else { return }
        _ = try retrying("dup2 \(fd) -> \(target)") { dup2(fd, target) }
    }
}
