import Dispatch
import LiegeConfig
import LiegeSystem

/// A vassal's life: validate, start (or wait on demand), reload, stop, and what happens when its master exits.
extension Governor {
    struct Validated {
        var arguments: [String]
        var protocolName: String
        var identity: (uid: UInt32, gid: UInt32, groupsOf: String?)?
    }

    /// Validates the vassal's full command line the way its master will load it; nil (and the errors
    /// logged, `FILE:LINE: ...; not started` or `; keeping the running vassal`) when it is not valid.
    func validate(_ name: String, consequence: String) -> Validated? {
        guard let record = vassals[name] else { return nil }
        var problems: [String] = []
        var identity: (uid: UInt32, gid: UInt32, groupsOf: String?)?
        if settings.tyrant {
            if let owner = record.file.owner, owner.uid != 0, owner.gid != 0 {
                identity = (owner.uid, owner.gid, settings.tyrantInitgroups ? Posix.userName(of: owner.uid) : nil)
            } else {
                problems.append("\(record.file.path): owned by root: refused in tyrant mode")
            }
        }
        var arguments = VassalCommand(file: record.file, settings: settings).arguments
        var protocolName = "uwsgi"
        if problems.isEmpty {
            do {
                let config = try Config.load(arguments: arguments, environment: environment,
                                             workingDirectory: record.file.directory)
                if settings.onDemand != nil {
                    protocolName = config[.socketProtocol] == "http" ? "http" : "uwsgi"
                    if let address = onDemandAddress(record.file),
                       (config[.uwsgiSockets] + config[.httpSockets]).contains(address) {
                        problems.append("\(record.file.path): the on-demand socket \(address) is declared again in the file")
                    }
                    arguments = VassalCommand(file: record.file, settings: settings, onDemandProtocol: protocolName).arguments
                }
            } catch {
                problems += error.errors.map(\.description)
            }
        }
        guard problems.isEmpty else {
            for problem in problems { log.error("\(problem); \(consequence)") }
            vassals[name]?.error = problems.joined(separator: "\n")
            return nil
        }
        vassals[name]?.error = ""
        return Validated(arguments: arguments, protocolName: protocolName, identity: identity)
    }

    /// Validates and starts the vassal, or (on demand) binds its socket and waits for a connection.
    func start(_ name: String, reason: String) {
        guard phase == .running, vassals[name] != nil else { return }
        guard let valid = validate(name, consequence: "not started") else {
            vassals[name]?.state = .invalid
            return
        }
        vassals[name]?.arguments = valid.arguments
        vassals[name]?.identity = valid.identity.map { ($0.uid, $0.gid) }
        vassals[name]?.onDemandProtocol = valid.protocolName
        if settings.onDemand != nil {
            waitOnDemand(name)
        } else {
            launch(name, validated: valid, reason: reason)
        }
    }

    func launch(_ name: String, validated: Validated, reason: String) {
        guard var record = vassals[name] else { return }
        let onDemand = record.onDemandSocket.map { (fd: $0.fd, protocolName: validated.protocolName) }
        let launched: VassalLauncher.Launched
        do {
            launched = try launcher.launch(arguments: validated.arguments, directory: record.file.directory,
                                           identity: validated.identity, onDemand: onDemand)
        } catch {
            log.error("cannot start vassal \(record.name): \(error)")
            scheduleRespawn(name, after: "could not be started")
            return
        }
        let now = monotonicMicroseconds()
        record.pid = launched.pid
        record.link = launched.link
        record.state = .starting
        record.spawns += 1
        record.spawnedAt = now
        record.bornWall = wallClockSeconds()
        record.readyAt = nil
        record.stop = nil
        vassals[name] = record
        watchLink(name, fd: launched.link)
        log.info("vassal \(record.name) started (pid \(launched.pid), \(reason), spawn \(record.spawns)): liege \(validated.arguments.joined(separator: " "))")
    }

    /// Asks a running vassal's master for a graceful reload, after validating its file again.
    func reloadIfRunning(_ name: String, reason: String) {
        guard let record = vassals[name], let pid = record.pid, record.stop == nil else { return }
        guard validate(name, consequence: "keeping the running vassal on its last good config") != nil else { return }
        vassals[name]?.state = .reloading
        vassals[name]?.reloadRequestedAt = monotonicMicroseconds()
        vassals[name]?.lastReloadWall = wallClockSeconds()
        vassals[name]?.failures = 0
        log.info("vassal \(record.name) (pid \(pid)) reloading (\(reason))")
        do {
            try Posix.writeAll(record.link, "r")
        } catch {
            _ = try? Processes.kill(pid, .hangup)
        }
    }

    /// Graceful: SIGTERM, SIGKILL to its group after `emperor-curse-tolerance`. Immediate: SIGINT, SIGKILL after 3 s.
    func stop(_ name: String, immediate: Bool) {
        guard let record = vassals[name], record.isAlive else { return }
        vassals[name]?.state = .stopping
        vassals[name]?.stopSignal = immediate ? .interrupt : .terminate
        let plan = immediate ? StopPlan(steps: [.requestStop, .waitUpTo(seconds: 3), .killGroup])
            : StopPlan.graceful(mercySeconds: settings.curseToleranceSeconds)
        vassals[name]?.stop = StopProgress(plan: plan)
    }

    func advanceStops() {
        let now = monotonicMicroseconds()
        for name in vassals.keys.sorted() {
            guard let record = vassals[name], let pid = record.pid, var progress = record.stop else { continue }
            for action in progress.advance(now: now) {
                switch action {
                case .requestStop:
                    log.info("stopping vassal \(record.name) (pid \(pid)) with \(record.stopSignal)")
                    _ = try? Processes.kill(pid, record.stopSignal)
                case .killGroup:
                    // Its workers lead their own process groups and hold its sockets: they go too.
                    let children = Processes.children(of: pid)
                    log.info("vassal \(record.name) (pid \(pid)) still running: SIGKILL to its process group and its children's")
                    _ = try? Processes.killGroup(pid, .kill)
                    for child in children where child > 1 { _ = try? Processes.killGroup(child, .kill) }
                case .waitUpTo:
                    break
                }
            }
            vassals[name]?.stop = progress
        }
    }

    func vassalExited(_ name: String, status: ExitStatus) {
        guard var record = vassals[name], let pid = record.pid else { return }
        closeLink(name)
        let now = monotonicMicroseconds()
        let lived = Double(now - record.spawnedAt) / 1_000_000
        let requested = record.stop != nil
        record.pid = nil
        record.link = -1
        record.stop = nil
        record.lastExit = status.description
        vassals[name] = record
        let uptime = String(format1(lived))
        if record.removed || phase != .running {
            log.info("vassal \(record.name) (pid \(pid)) stopped: \(status) after \(uptime) s")
            closeOnDemand(name)
            vassals[name] = nil
            return
        }
        if requested {
            log.info("vassal \(record.name) (pid \(pid)) stopped: \(status) after \(uptime) s")
            vassals[name]?.restartAfterStop = false
            vassals[name]?.state = .invalid
            if record.restartAfterStop { start(name, reason: "restart") }
            return
        }
        if record.onDemandSocket != nil, status == .exited(0) {
            log.info("vassal \(record.name) (pid \(pid)) exited after \(uptime) s: back to on demand")
            vassals[name]?.state = .onDemand
            watchOnDemand(name)
            return
        }
        let healthy = record.readyAt.map { now - $0 >= Int64(EmperorThrottle.healthySeconds) * 1_000_000 } ?? false
        vassals[name]?.failures = healthy ? 0 : record.failures + 1
        scheduleRespawn(name, after: "\(status) after \(uptime) s")
    }

    func scheduleRespawn(_ name: String, after what: String) {
        guard let record = vassals[name] else { return }
        let delay = settings.throttle.delayMilliseconds(afterFailures: record.failures)
        vassals[name]?.state = .backoff
        vassals[name]?.respawnAt = monotonicMicroseconds() + Int64(delay) * 1000
        log.info("vassal \(record.name) \(what): failure \(record.failures) in a row, respawn in \(delay) ms")
    }

    // MARK: the link to each master

    func watchLink(_ name: String, fd: Int32) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in linkReadable(name, fd: fd) }
        source.setCancelHandler { Posix.close(fd) }
        source.resume()
        linkSources[name] = source
        linkBuffers[name] = []
    }

    private func linkReadable(_ name: String, fd: Int32) {
        guard vassals[name]?.link == fd else { return }
        var chunk = [UInt8](repeating: 0, count: 512)
        let count = (try? chunk.withUnsafeMutableBytes { try Posix.read(fd, into: $0) }) ?? 0
        guard count > 0 else {
            // The master closed its end: it is exiting; SIGCHLD does the rest.
            closeLink(name)
            return
        }
        var buffer = (linkBuffers[name] ?? []) + chunk[0..<count]
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: buffer[..<newline], as: UTF8.self)
            buffer.removeSubrange(...newline)
            linkMessage(name, line)
        }
        linkBuffers[name] = buffer
        tick()
    }

    private func linkMessage(_ name: String, _ line: String) {
        guard line.hasPrefix("ready"), let record = vassals[name], let pid = record.pid else { return }
        switch record.state {
        case .starting:
            vassals[name]?.state = .running
            vassals[name]?.readyAt = monotonicMicroseconds()
            log.info("vassal \(record.name) (pid \(pid)) ready")
        case .reloading:
            vassals[name]?.state = .running
            vassals[name]?.reloadRequestedAt = nil
            if record.readyAt == nil { vassals[name]?.readyAt = monotonicMicroseconds() }
            log.info("vassal \(record.name) (pid \(pid)) reloaded")
        default:
            break
        }
    }

    /// Closes the emperor's end of the link (in the read source's cancel handler, as Dispatch requires).
    func closeLink(_ name: String) {
        if let source = linkSources[name] {
            source.cancel()
        } else if let fd = vassals[name]?.link, fd >= 0 {
            Posix.close(fd)
        }
        linkSources[name] = nil
        linkBuffers[name] = nil
        vassals[name]?.link = -1
    }
}

/// One decimal: `2.5`.
func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
