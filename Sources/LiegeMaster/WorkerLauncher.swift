import LiegeSystem

/// Spawns worker processes exactly per the master <-> worker contract (TEAM.md): `/proc/self/exe` with
/// argv `liege worker ID NAME`, fd 0 /dev/null, fds 1-2 a pipe to the master's log pump, fd 3 the config
/// memfd, fd 4 the scoreboard, fd 5 the lifeline's read end, fds 6... the listening sockets; its own
/// process group. A `held` worker (`LIEGE_HOLD=1`) loads the app, reports ready in its slot, and waits
/// for `g` on its lifeline before it accepts (the import check of a reload, SPEC.md §5.1).
struct WorkerLauncher {
    let name: String
    let pump: LogPump

    /// Starts worker `id` of `generation`; returns its pid and the lifeline's write end (owned by the caller).
    func launch(id: Int, generation: Generation, held: Bool) throws(SystemError) -> (pid: Int32, lifeline: Int32) {
        let lifeline = try Posix.pipe()
        defer { Posix.close(lifeline.read) }
        let output: Int32
        do {
            output = try pump.makePipe()
        } catch {
            Posix.close(lifeline.write)
            throw error
        }
        defer { Posix.close(output) }
        var actions: [Processes.FileAction] = [
            .devNull(0), .duplicate(output, to: 1), .duplicate(output, to: 2),
            .duplicate(generation.configFD, to: 3), .duplicate(generation.scoreboard.fd, to: 4),
            .duplicate(lifeline.read, to: 5),
        ]
        for (index, entry) in generation.sockets.enumerated() { actions.append(.duplicate(entry.socket.fd, to: Int32(6 + index))) }
        var environment = generation.environment
        if held { environment.append("LIEGE_HOLD=1") }
        do {
            let pid = try Processes.spawn(executable: "/proc/self/exe", arguments: ["liege", "worker", "\(id)", name],
                                          environment: environment, fileActions: actions, newProcessGroup: true)
            return (pid, lifeline.write)
        } catch {
            Posix.close(lifeline.write)
            throw error
        }
    }
}
