import CSystem
import Glibc

/// Starting, signalling and reaping child processes.
public enum Processes {
    /// A descriptor the child gets: `source` of this process becomes `target` in the child, or
    /// `/dev/null` opened on `target`.
    public enum FileAction: Sendable, Equatable {
        case duplicate(Int32, to: Int32)
        case devNull(Int32)

        var target: Int32 {
            switch self {
            case .duplicate(_, let target), .devNull(let target): return target
            }
        }
    }

    /// posix_spawn of `executable` with exactly the descriptors in `fileActions` (everything above the
    /// highest target is closed, whatever its close-on-exec flag), an empty signal mask and default
    /// dispositions for every signal (Dispatch threads block nearly all signals and `SIG_IGN` survives exec;
    /// see PLATFORM.md §3), and, with `newProcessGroup`, its own process group (pgid = pid).
    /// `environment` entries are `KEY=value`. `newSession` starts a new session instead (setsid: no
    /// controlling terminal; `daemonize`).
    public static func spawn(
        executable: String, arguments: [String], environment: [String],
        fileActions: [FileAction], newProcessGroup: Bool = true, newSession: Bool = false
    ) throws(SystemError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Two phases, so a source that is also some other action's target is copied before it is replaced:
        // first every source to a temporary number above all sources and targets, then onto its target.
        let sources = fileActions.compactMap { if case .duplicate(let source, _) = $0 { return source } else { return nil } }
        let highestTarget = fileActions.map(\.target).max() ?? 2
        var temporary = max(highestTarget, sources.max() ?? 0) + 1
        var moves: [(Int32, Int32)] = []
        for action in fileActions {
            switch action {
            case .duplicate(let source, let target):
                posix_spawn_file_actions_adddup2(&actions, source, temporary)
                moves.append((temporary, target))
                temporary += 1
            case .devNull(let target):
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
            }
        }
        for (from, to) in moves { posix_spawn_file_actions_adddup2(&actions, from, to) }
        csystem_spawn_addclosefrom(&actions, highestTarget + 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newSession {
            flags |= csystem_spawn_setsid_flag()
        } else if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if result != 0 { throw SystemError(call: "posix_spawn \(executable)", errno: result) }
        return pid
    }

    /// Every child that has ended, without waiting (waitpid(-1, WNOHANG) until none is left; SIGCHLDs
    /// coalesce, so one call may return several).
    public static func reap() -> [(pid: Int32, status: ExitStatus)] {
        var ended: [(pid: Int32, status: ExitStatus)] = []
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0 {
                ended.append((pid, ExitStatus(waitStatus: status)))
            } else if pid == -1, errno == EINTR {
                continue
            } else {
                return ended   // 0: children left but none ended; -1 ECHILD: no children
            }
        }
    }

    /// Blocks until child `pid` ends (waitpid, EINTR retried); nil if it is not our child (ECHILD).
    public static func wait(for pid: Int32) -> ExitStatus? {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return ExitStatus(waitStatus: status) }
            if errno != EINTR { return nil }
        }
    }

    /// Sends `signal` to `pid`; false when that process no longer exists (ESRCH).
    @discardableResult
    public static func kill(_ pid: Int32, _ signal: UnixSignal) throws(SystemError) -> Bool {
        guard pid > 0 else { throw SystemError(call: "kill \(pid): not a process id", errno: EINVAL) }
        return try send(pid, signal)
    }

    /// Sends `signal` to every process in the group led by `pgid` (kill(-pgid)); false when it is empty.
    @discardableResult
    public static func killGroup(_ pgid: Int32, _ signal: UnixSignal) throws(SystemError) -> Bool {
        guard pgid > 1 else { throw SystemError(call: "killpg \(pgid): not a process group", errno: EINVAL) }
        return try send(-pgid, signal)
    }

    private static func send(_ target: Int32, _ signal: UnixSignal) throws(SystemError) -> Bool {
        if Glibc.kill(target, signal.rawValue) == 0 { return true }
        if errno == ESRCH { return false }
        throw SystemError(call: "kill \(target) \(signal)", errno: errno)
    }

    /// The environment as `KEY=value` strings, for `spawn`.
    public static func environmentStrings(_ environment: [String: String]) -> [String] {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
