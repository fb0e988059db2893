import LiegeConfig
import LiegeSystem

/// Starts daemon and cron commands (SPEC.md §9, §10): `/bin/sh -c CMD` in the app's `chdir`, with the
/// master's environment plus `env`, stdin `/dev/null`, its own process group, and as `uid`/`gid` when
/// the master runs as root (through util-linux `setpriv`, since posix_spawn cannot switch users).
struct ShellLauncher: Sendable {
    /// Where the child's stdout and stderr go.
    enum Output: Sendable {
        /// A pipe whose read end is returned, for the master to log line by line with a prefix.
        case pipe
        /// Straight to the master's log (fd 2): for smart daemons, which outlive the master.
        case log
    }

    struct Launched {
        var pid: Int32
        /// The read end of the output pipe (`.pipe`), owned by the caller.
        var output: Int32?
    }

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
        let arguments = try argv(command, directory: directory ?? self.directory, uid: uid ?? self.uid, gid: gid ?? self.gid)
        var actions: [Processes.FileAction] = [inheritStdin ? .duplicate(0, to: 0) : .devNull(0)]
        var pipe: (read: Int32, write: Int32)?
        switch output {
        case .log:
            actions += [.duplicate(2, to: 1), .duplicate(2, to: 2)]
        case .pipe:
            let made = try Posix.pipe()
            pipe = made
            actions += [.duplicate(made.write, to: 1), .duplicate(made.write, to: 2)]
        }
        defer { if let pipe { Posix.close(pipe.write) } }
        do {
            let pid = try Processes.spawn(executable: arguments[0], arguments: arguments, environment: environment,
                                          fileActions: actions, newProcessGroup: true)
            return Launched(pid: pid, output: pipe?.read)
        } catch {
            if let pipe { Posix.close(pipe.read) }
            throw error
        }
    }

    /// The argument vector: `/bin/sh -c SCRIPT`, where SCRIPT changes to `directory` first; wrapped in
    /// `setpriv` when a user or group is asked for and we are root.
    func argv(_ command: String, directory: String?, uid: String?, gid: String?) throws(SystemError) -> [String] {
        let script = Self.script(command, directory: directory)
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
