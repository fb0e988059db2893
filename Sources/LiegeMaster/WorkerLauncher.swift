import LiegeSystem

/// Spawns worker processes exactly per the master <-> worker contract (TEAM.md): `/proc/self/exe` with
/// argv `liege worker ID NAME`, fd 0 /dev/null, fds 1-2 a pipe to the master's log pump, fd 3 the config
/// memfd, fd 4 the scoreboard, fd 5 the lifeline's read end, fds 6... the listening sockets; its own
/// process group. A `held` worker (`LIEGE_HOLD=1`) loads the app, reports ready in its slot, and waits
/// for `g` on its lifeline before it accepts (the import check of a reload, SPEC.md §5.1). The shared
/// regions of the `uwsgi` module follow the sockets (Uwsgi/SharedRegions.swift). With
/// `lazy-apps = false` a preloader (`liege preloader NAME`, the same descriptors but fd 5 a
/// `MessageChannel`) imports the app and `fork` asks it for a worker with the same contract.
struct WorkerLauncher {
    let name: String
    let pump: LogPump
    /// When this master started (`uwsgi.started_on`).
    var startedOn = wallClockSeconds()

    /// Starts worker `id` of `generation`; returns its pid and the lifeline's write end (owned by the caller).
    func launch(id: Int, generation: Generation, held: Bool) throws(SystemError) -> (pid: Int32, lifeline: Int32) {
        let lifeline = try Posix.pipe()
        defer { Posix.close(lifeline.read) }
        var environment = generation.environment
        if held { environment.append(WorkerContract.holdVariable + "=1") }
        do {
            let pid = try spawn(["liege", "worker", "\(id)", name], generation: generation, fd5: lifeline.read,
                                environment: environment)
            return (pid, lifeline.write)
        } catch {
            Posix.close(lifeline.write)
            throw error
        }
    }

    /// Starts the preloader of `generation` (`lazy-apps = false`): the worker's descriptors, with fd 5 its
    /// end of a `MessageChannel`; returns its pid and the master's end (owned by the caller).
    func launchPreloader(generation: Generation) throws(SystemError) -> (pid: Int32, channel: MessageChannel) {
        let (mine, theirs) = try MessageChannel.pair()
        defer { theirs.close() }
        do {
            let pid = try spawn(["liege", "preloader", name], generation: generation, fd5: theirs.fd,
                                environment: generation.environment)
            return (pid, mine)
        } catch {
            mine.close()
            throw error
        }
    }

    /// Asks `preloader` (on `channel`) to fork worker `id` of `generation`, handing it the worker's lifeline,
    /// log pipe and scoreboard; waits at most `timeoutMilliseconds` for the answer: the pid and the
    /// lifeline's write end, or the preloader's own answer when it did not fork.
    func fork(id: Int, generation: Generation, held: Bool, channel: MessageChannel,
              timeoutMilliseconds: Int = 2000) throws(SystemError) -> ForkOutcome {
        let lifeline = try Posix.pipe()
        defer { Posix.close(lifeline.read) }
        do throws(SystemError) {
            let output = try pump.makePipe()
            defer { Posix.close(output) }
            try channel.send(PreloadMessage.fork(slot: id, held: held).text,
                             descriptors: [lifeline.read, output, generation.scoreboard.fd])
            let deadline = monotonicMicroseconds() + Int64(timeoutMilliseconds) * 1000
            while true {
                let left = Int((deadline - monotonicMicroseconds()) / 1000)
                guard left > 0, try channel.waitReadable(milliseconds: left) else {
                    Posix.close(lifeline.write)
                    return .noAnswer
                }
                let received: MessageChannel.Message?
                do throws(SystemError) {
                    received = try channel.receive()
                } catch {
                    if error.isTimeout { continue }   // EAGAIN: look again
                    throw error
                }
                guard let message = received else {
                    Posix.close(lifeline.write)
                    return .gone
                }
                message.descriptors.forEach(Posix.close)
                switch PreloadMessage(text: message.text) {
                case .forked(let pid):
                    return .forked(pid: pid, lifeline: lifeline.write)
                case .some(let other) where other != .ready:
                    Posix.close(lifeline.write)
                    return .declined(other)
                default:
                    continue   // a late `ready`: not the answer
                }
            }
        } catch {
            Posix.close(lifeline.write)
            throw error
        }
    }

    /// What a fork request came to.
    enum ForkOutcome {
        case forked(pid: Int32, lifeline: Int32)
        /// `refused N` (threads appeared) or `fork-failed REASON`.
        case declined(PreloadMessage)
        /// No answer in time (the preloader is stuck).
        case noAnswer
        /// The preloader closed the channel (it died).
        case gone
    }

    /// Starts spooler `id` of `generation` on `directory` (`liege spooler ID NAME`): the worker's descriptors
    /// without the sockets; returns its pid and the lifeline's write end (owned by the caller).
    func launchSpooler(id: Int, directory: String, generation: Generation) throws(SystemError) -> (pid: Int32, lifeline: Int32) {
        let lifeline = try Posix.pipe()
        defer { Posix.close(lifeline.read) }
        do {
            let pid = try spawn(["liege", "spooler", "\(id)", name], generation: generation, fd5: lifeline.read,
                                environment: generation.environment + [WorkerContract.spoolerDirectoryVariable + "=" + directory], sockets: false)
            return (pid, lifeline.write)
        } catch {
            Posix.close(lifeline.write)
            throw error
        }
    }

    /// posix_spawn of `arguments` with the contract's descriptors: 0 /dev/null, 1-2 a new log pipe,
    /// 3 config, 4 scoreboard, 5 `fd5`, 6... the sockets, then the shared regions (`LIEGE_SHARED_FDS`);
    /// its own process group.
    private func spawn(_ arguments: [String], generation: Generation, fd5: Int32, environment: [String],
                       sockets: Bool = true) throws(SystemError) -> Int32 {
        let output = try pump.makePipe()
        defer { Posix.close(output) }
        var actions: [Processes.FileAction] = [
            .devNull(0), .duplicate(output, to: 1), .duplicate(output, to: 2),
            .duplicate(generation.configFD, to: WorkerContract.configFD),
            .duplicate(generation.scoreboard.fd, to: WorkerContract.scoreboardFD), .duplicate(fd5, to: WorkerContract.lifelineFD),
        ]
        var next = WorkerContract.firstSocketFD
        for entry in sockets ? generation.sockets : [] {
            actions.append(.duplicate(entry.socket.fd, to: next))
            next += 1
        }
        var shared: [String] = []
        for fd in generation.shared.descriptors {
            actions.append(.duplicate(fd, to: next))
            shared.append("\(next)")
            next += 1
        }
        let uwsgi = [WorkerContract.sharedFDsVariable + "=" + shared.joined(separator: ","),
                     WorkerContract.masterPIDVariable + "=\(Posix.processID)", WorkerContract.startedOnVariable + "=\(startedOn)"]
        return try Processes.spawn(executable: "/proc/self/exe", arguments: arguments, environment: environment + uwsgi,
                                   fileActions: actions, newProcessGroup: true)
    }
}
