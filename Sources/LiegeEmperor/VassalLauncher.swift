import LiegeSystem

/// Starts a vassal's master: `/proc/self/exe` with argv `liege ARGS...`, working directory = the vassal
/// file's directory, its own process group, and these descriptors: 0 `/dev/null`, 1 and 2 our stderr,
/// 3 the vassal's end of the link socket (`LIEGE_EMPEROR_FD=3`: end of file = the emperor is gone, the
/// master stops gracefully), 4 the on-demand socket when there is one (`LIEGE_ON_DEMAND_FD=4`).
/// In tyrant mode `LIEGE_TYRANT=uid:gid[:user]` makes the new process drop to that identity first.
struct VassalLauncher {
    var environment: [String: String]

    static let linkFD = EmperorContract.linkFD
    static let onDemandFD = EmperorContract.onDemandFD

    struct Launched {
        var pid: Int32
        var link: Int32
    }

    init(environment: [String: String]) {
        var environment = environment
        for name in EmperorContract.variables + ["NOTIFY_SOCKET", EmperorContract.tyrantVariable, "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
            environment[name] = nil
        }
        self.environment = environment
    }

    func launch(arguments: [String], directory: String, identity: (uid: UInt32, gid: UInt32, groupsOf: String?)?,
                onDemand: (fd: Int32, protocolName: String)?) throws(SystemError) -> Launched {
        let (ours, theirs) = try Posix.socketPair()
        defer { Posix.close(theirs) }
        var environment = self.environment
        environment[EmperorContract.linkVariable] = String(Self.linkFD)
        var actions: [Processes.FileAction] = [.devNull(0), .duplicate(2, to: 1), .duplicate(2, to: 2),
                                               .duplicate(theirs, to: Self.linkFD)]
        if let onDemand {
            actions.append(.duplicate(onDemand.fd, to: Self.onDemandFD))
            environment[EmperorContract.onDemandFDVariable] = String(Self.onDemandFD)
            environment[EmperorContract.onDemandProtocolVariable] = onDemand.protocolName
        }
        if let identity {
            environment[EmperorContract.tyrantVariable] = "\(identity.uid):\(identity.gid)" + (identity.groupsOf.map { ":\($0)" } ?? "")
        }
        // posix_spawn has no portable chdir action: the emperor's queue is the only place that spawns or
        // uses the working directory, so it steps into the vassal's directory for the spawn and back.
        let home = Posix.workingDirectory
        do {
            try Posix.changeDirectory(directory)
            defer { try? Posix.changeDirectory(home) }
            let pid = try Processes.spawn(executable: "/proc/self/exe", arguments: ["liege"] + arguments,
                                          environment: Processes.environmentStrings(environment),
                                          fileActions: actions, newProcessGroup: true)
            return Launched(pid: pid, link: ours)
        } catch {
            Posix.close(ours)
            throw error
        }
    }
}
