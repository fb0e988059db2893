import LiegeSystem

/// Spawns worker processes exactly per the master <-> worker contract (TEAM.md): `/proc/self/exe` with
/// argv `liege worker ID NAME`, fd 0 /dev/null, fds 1-2 our stderr (or log file), fd 3 the config memfd,
/// fd 4 the scoreboard, fd 5 the lifeline's read end, fds 6... the listening sockets; its own process group.
struct WorkerLauncher {
    let name: String
    let environment: [String]
    let configFD: Int32
    let scoreboardFD: Int32
    let socketFDs: [Int32]

    /// Starts worker `id`; returns its pid and the lifeline's write end (owned by the caller).
    func launch(id: Int) throws(SystemError) -> (pid: Int32, lifeline: Int32) {
        let lifeline = try Posix.pipe()
        defer { Posix.close(lifeline.read) }
        var actions: [Processes.FileAction] = [
            .devNull(0), .duplicate(2, to: 1), .duplicate(2, to: 2),
            .duplicate(configFD, to: 3), .duplicate(scoreboardFD, to: 4), .duplicate(lifeline.read, to: 5),
        ]
        for (index, fd) in socketFDs.enumerated() { actions.append(.duplicate(fd, to: Int32(6 + index))) }
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
