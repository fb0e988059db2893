import LiegeConfig
import LiegeSystem

/// Starts daemon and cron commands (SPEC.md §9, §10): `/bin/sh -c CMD` in the app's `chdir`, with the
/// master's environment plus `env`, stdin `/dev/null`, its own process group, and as `uid`/`gid` when
/// the master runs as root (through util-linux `setpriv`, since posix_spawn cannot switch users).
struct ShellLauncher: Sendable {
    /// How the child is tied to the master.
    enum Output: Sendable {
        /// Dumb daemons and cron runs: stdout and stderr go to a pipe the master logs with a prefix, and
        /// the child's process group dies with the master, even a SIGKILLed one: a watcher started first
        /// in the group waits for end of file on a lifeline pipe (fd 3) and then SIGKILLs the group. The
        /// master closes the lifeline when the child's shell is reaped (what it left behind goes too), or
        /// when the master itself is gone.
        case pipe
        /// Smart daemons, which outlive the master: output straight to the master's log (fd 2), no lifeline.
        case log
    }

    struct Launched {
        var pid: Int32
        /// The read end of the output pipe (`.pipe`), owned by the caller.
        var output: Int32?
        /// The write end of the lifeline (`.pipe`), owned by the caller: close it once `pid` is reaped.
        var lifeline: Int32?
    }

    /// The shell text that ties a `.pipe` child's process group to its lifeline on fd 3 (the watcher is
    /// started in a subshell that exits at once, so it is no child of the command's shell: `wait` works).
    static let watchdog = "( ( read _ <&3; kill -KILL 0 ) </dev/null >/dev/null 2>&1 & )\nexec 3<&-\n"

    let environment: [String]
    let directory: String?
    let uid: String?
    let gid: String?

    init(environment: [String], directory: String?, uid: String?, gid: String?) {
        self.environment = environment
        self.directory = directory
        self.uid = uid
        self.gid = gid
    }

    func launch(_ command: String, directory: String? = nil, uid: String? = nil, gid: String? = nil,
                inheritStdin: Bool = false, output: Output) throws(SystemError) -> Launched {
        let tied = output == .pipe
        let arguments = try argv(command, directory: directory ?? self.directory, uid: uid ?? self.uid, gid: gid ?? self.gid,
                                 watchdog: tied)
        var actions: [Processes.FileAction] = [inheritStdin ? .duplicate(0, to: 0) : .devNull(0)]
        guard tied else {
            actions += [.duplicate(2, to: 1), .duplicate(2, to: 2)]
            let pid = try Processes.spawn(executable: arguments[0], arguments: arguments, environment: environment,
                                          fileActions: actions, newProcessGroup: true)
            return Launched(pid: pid, output: nil, lifeline: nil)
        }
        let pipe = try Posix.pipe()
        let lifeline: (read: Int32, write: Int32)
        do {
            lifeline = try Posix.pipe()
        } catch {
            Posix.close(pipe.read)
            Posix.close(pipe.write)
            throw error
        }
        defer {
            Posix.close(pipe.write)
            Posix.close(lifeline.read)
        }
        actions += [.duplicate(pipe.write, to: 1), .duplicate(pipe.write, to: 2), .duplicate(lifeline.read, to: 3)]
        do {
            let pid = try Processes.spawn(executable: arguments[0], arguments: arguments, environment: environment,
                                          fileActions: actions, newProcessGroup: true)
            return Launched(pid: pid, output: pipe.read, lifeline: lifeline.write)
        } catch {
            Posix.close(pipe.read)
            Posix.close(lifeline.write)
            throw error
        }
    }

    /// The argument vector: `/bin/sh -c SCRIPT`, where SCRIPT changes to `directory` first; wrapped in
    /// `setpriv` when a user or group is asked for and we are root.
    func argv(_ command: String, directory: String?, uid: String?, gid: String?, watchdog: Bool = false) throws(SystemError) -> [String] {
        let script = (watchdog ? Self.watchdog : "") + Self.script(command, directory: directory)
        guard uid != nil || gid != nil else { return ["/bin/sh", "-c", script] }
        guard Posix.effectiveUser.uid == 0 else {
            // Not root (the master already dropped its privileges): fine when that is who we are.
            let sameUser = try uid.map { name throws(SystemError) in try Posix.userID(name) == Posix.effectiveUser.uid } ?? true
            let sameGroup = try gid.map { name throws(SystemError) in try Posix.groupID(name) == Posix.effectiveUser.gid } ?? true
            if sameUser, sameGroup { return ["/bin/sh", "-c", script] }
            throw SystemError(call: "cannot run as uid \(uid ?? "-") / gid \(gid ?? "-"): the master is not root", errno: 0)
        }
        var wrapper = ["/usr/bin/setpriv"]
        if let uid {
            wrapper.append("--reuid=\(try Posix.userID(uid))")
            if gid == nil, let primary = Posix.primaryGroupID(ofUser: uid) { wrapper.append("--regid=\(primary)") }
        }
        if let gid { wrapper.append("--regid=\(try Posix.groupID(gid))") }
        wrapper.append(uid != nil ? "--init-groups" : "--clear-groups")
        return wrapper + ["--", "/bin/sh", "-c", script]
    }

    /// `cd -- 'DIR' || exit 127` then the command, on its own line (any shell text keeps working).
    static func script(_ command: String, directory: String?) -> String {
        guard let directory, !directory.isEmpty else { return command }
        return "cd -- \(shellQuoted(directory)) || exit 127\n" + command
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
