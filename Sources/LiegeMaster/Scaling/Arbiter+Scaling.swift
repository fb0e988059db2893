import LiegeSystem

/// Scale to zero and adaptive workers in the master's loop (SPEC.md §8): `WorkerCountPolicy` says how
/// many workers are wanted; `manage` spawns into empty slots up to that and stops idle workers above it;
/// while cheap with no worker left, a `SocketWatch` waits for a connection without accepting it.
extension Arbiter {
    /// SPEC.md §7 `mode`, for the stats.
    var mode: MasterMode {
        switch phase {
        case .stopping, .finished: return .stopping
        case .running where drainUntil != nil: return .stopping
        case .running: return planner.isReloading ? .reloading : scaling.state == .cheap ? .cheap : .normal
        }
    }

    func announceScaling() {
        let scaling = settings.scaling
        if self.scaling.state == .cheap {
            log.info("cheap mode: no worker until the first connection")
            EmperorLink.announceReady()
        }
        if scaling.isAdaptive {
            log.info("cheaper: \(scaling.algorithm) algorithm, \(scaling.cheaper) to \(scaling.processes) workers"
                     + (self.scaling.state == .cheap ? "" : ", starting \(scaling.initialCount)"))
        }
        if scaling.idleSeconds > 0 {
            log.info("idle: after \(scaling.idleSeconds)s without a request the workers stop"
                     + (scaling.dieOnIdle ? " and the master exits (die-on-idle)" : " (cheap mode)"))
        }
    }

    /// Once a second (heartbeat): one `ScalingSample` for the policy.
    func sampleScaling() {
        guard phase == .running, !planner.isReloading, !paused else { return }
        let now = monotonicMicroseconds()
        var sample = ScalingSample(now: now, serving: 0, busy: 0)
        for worker in workers {
            let slot = worker.slot
            sample.lastRequestEnd = max(sample.lastRequestEnd, slot.lastRequestEndMicros)
            guard worker.generation === current, !worker.isStopping, !worker.held else {
                // A worker on its way out still finishing a request is activity too.
                if slot.requestStartMicros > 0 { sample.lastRequestEnd = now }
                continue
            }
            switch slot.status {
            case .starting:
                sample.starting += 1
            case .ready, .busy:
                sample.serving += 1
                if slot.requestStartMicros > 0 || slot.status == .busy { sample.busy += 1 }
            case .empty, .stopping:
                break
            }
        }
        if settings.scaling.isAdaptive, settings.scaling.algorithm == .backlog {
            sample.backlog = current.sockets.compactMap { AcceptBacklog.waiting(on: $0.socket.fd) }.reduce(0, +)
        }
        if let event = scaling.sample(sample) { apply(event) }
    }

    func apply(_ event: ScalingEvent) {
        switch event {
        case .exitOnIdle:
            log.info(event.description)
            shutDown(graceful: true, exitCode: 0, reason: .dieOnIdle)
        case .wentCheap(let reason):
            log.info(event.description)
            workers.stop(where: { !$0.held }, plan: .graceful(mercySeconds: settings.workerReloadMercy),
                         reason: reason.hasPrefix("idle") ? .idle : .cheapMode)
        case .woke, .grew, .shrank, .refused:
            log.info(event.description)
        }
    }

    /// fifo `+`, `-`, `C`.
    func scalingCommand(_ command: Character) {
        guard phase == .running else { return }
        switch command {
        case "C": apply(scaling.goCheap())
        case "+": apply(scaling.manualStep(up: true, now: monotonicMicroseconds()))
        default: apply(scaling.manualStep(up: false, now: monotonicMicroseconds()))
        }
    }

    /// `manage` while running: fills empty slots (lowest first, each respecting its back-off) until as
    /// many slots are in use as the policy wants, then asks idle workers above that count to stop
    /// (never a busy one; the highest slot first).
    func manageCount(now: Int64) {
        let processes = settings.processes
        let target = min(scaling.target, processes)
        let occupied = Set(workers.map(\.id).filter { $0 <= processes })
        var needed = target - occupied.count
        for id in 1...processes where needed > 0 && !occupied.contains(id) {
            needed -= 1
            guard (history[id]?.respawnNotBefore ?? 0) <= now else { continue }
            spawn(id: id, in: current, held: false)
            guard phase == .running else { return }
        }
        let running = workers.filter { $0.generation === current && !$0.isStopping && !$0.held }
        var excess = running.count - target
        guard excess > 0, !planner.isReloading else { return }
        for worker in running.sorted(by: { $0.id > $1.id }) where excess > 0 {
            let slot = worker.slot
            guard slot.requestStartMicros == 0, slot.status == .ready || slot.status == .starting else { continue }
            excess -= 1
            workers.stop(pid: worker.pid, plan: .graceful(mercySeconds: settings.workerReloadMercy),
                         reason: scaling.state == .cheap ? .cheapMode : .cheaper)
        }
    }

    /// While cheap with no worker left: a connection already waiting wakes the master now, else a
    /// `SocketWatch` waits for one. Otherwise no watch.
    func updateSocketWatch() {
        let wanted = phase == .running && scaling.state == .cheap && workers.isEmpty && !paused && !planner.isReloading
        guard wanted else {
            socketWatch?.cancel()
            socketWatch = nil
            return
        }
        guard socketWatch == nil else { return }
        let fds = current.sockets.map(\.socket.fd)
        if AcceptBacklog.anyWaiting(fds) {
            wake()
            return
        }
        do {
            socketWatch = try SocketWatch(fds: fds, queue: queue) { [self] in
                guard socketWatch != nil else { return }
                socketWatch?.cancel()
                socketWatch = nil
                wake()
                tick()
            }
        } catch {
            log.error("cheap mode: cannot watch the sockets (\(error)): spawning the workers")
            wake()
        }
    }

    private func wake() {
        if let event = scaling.connectionWaiting(now: monotonicMicroseconds()) { apply(event) }
    }
}
