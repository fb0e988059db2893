import Dispatch
import LiegeSystem

/// The master's loop, in the style of gunicorn's arbiter: one serial queue owns every piece of state;
/// signal sources, the heartbeat and wake-up timers only enqueue `tick`, and `tick` is the one place that
/// decides: reap -> observe -> advance stops (murder) -> manage (respawn or finish).
final class Arbiter: MasterStateSource, @unchecked Sendable {
    static let handledSignals: [UnixSignal] = [.child, .hangup, .terminate, .interrupt, .quit, .user1, .user2]

    private enum Phase: Equatable {
        case running
        case stopping(exitCode: Int32)
        case finished
    }

    private let queue = DispatchQueue(label: "liege.master.arbiter")
    private let settings: MasterSettings
    private let scoreboard: Scoreboard
    private let launcher: WorkerLauncher
    private let log: Logger
    private let backoff = RespawnBackoff()
    private var workers: [WorkerRecord]
    private var phase = Phase.running
    private var generation = 0
    private var everReady = false
    private var everSpawned = false
    private var signals: SignalSources?
    private var heartbeat: DispatchSourceTimer?
    private var nextWake: Int64?
    private var exitCode: Int32 = 0
    private let done = DispatchSemaphore(value: 0)

    init(settings: MasterSettings, scoreboard: Scoreboard, launcher: WorkerLauncher, log: Logger) {
        self.settings = settings
        self.scoreboard = scoreboard
        self.launcher = launcher
        self.log = log
        self.workers = (1...settings.processes).map { WorkerRecord(id: $0) }
    }

    /// Runs until every worker is gone after a stop; returns the exit status.
    func run() -> Int32 {
        signals = SignalSources(Self.handledSignals, queue: queue) { [self] signal in handle(signal) }
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 1, repeating: 1)
            timer.setEventHandler { [self] in tick() }
            timer.resume()
            heartbeat = timer
            tick()
        }
        done.wait()
        return exitCode
    }

    // MARK: events (on the queue)

    private func handle(_ signal: UnixSignal) {
        switch signal {
        case .terminate:
            log.info("\(signal): graceful shutdown")
            shutDown(.graceful(mercySeconds: settings.reloadMercy), exitCode: 0)
        case .interrupt, .quit:
            log.info("\(signal): immediate shutdown")
            shutDown(.immediate, exitCode: 0)
        case .hangup:
            reload()
        case .user1:
            logStats()
        case .user2:
            reopenLog()
        default:
            break
        }
        tick()
    }

    /// The one place that decides.
    private func tick() {
        guard phase != .finished else { return }
        reap()
        observeScoreboard()
        advanceStops()
        manage()
        scheduleWake()
    }

    // MARK: decisions

    private func shutDown(_ plan: StopPlan, exitCode code: Int32) {
        switch phase {
        case .finished: return
        case .stopping: guard plan == .immediate else { return }   // only escalate
        case .running: phase = .stopping(exitCode: code)
        }
        for index in workers.indices where workers[index].isAlive {
            if plan == .immediate || workers[index].stop == nil { workers[index].stop = StopProgress(plan: plan) }
        }
    }

    /// Simple reload for now: each worker of an older generation stops gracefully and its slot is refilled
    /// as soon as it is gone. (The full SPEC.md §5.1 reload adds config re-read and an import check first.)
    private func reload() {
        guard phase == .running else { return }
        generation += 1
        log.info("SIGHUP: graceful reload (generation \(generation)): workers finish their requests and are replaced")
        for index in workers.indices {
            if workers[index].isAlive, workers[index].stop == nil, workers[index].generation < generation {
                workers[index].stop = StopProgress(plan: .graceful(mercySeconds: settings.workerReloadMercy))
            } else if !workers[index].isAlive {
                workers[index].respawnNotBefore = 0
                workers[index].quickDeaths = 0
            }
        }
    }

    private func reap() {
        for (pid, status) in Processes.reap() {
            if let index = workers.firstIndex(where: { $0.pid == pid }) {
                workerExited(index, status: status)
            } else {
                log.info("child \(pid) \(status)")
            }
        }
    }

    private func workerExited(_ index: Int, status: ExitStatus) {
        var worker = workers[index]
        let now = monotonicMicroseconds()
        log.info("worker \(worker.id) (pid \(worker.pid ?? 0)) \(status)")
        let slot = scoreboard[worker.id]
        if slot.status == .ready || slot.status == .busy { everReady = true }
        slot.resetForNewProcess()
        Posix.close(worker.lifeline)
        worker.lifeline = -1
        worker.pid = nil
        let intended = worker.stop != nil
        worker.stop = nil
        if intended {
            worker.quickDeaths = 0
            worker.respawnNotBefore = 0
        } else {
            worker.quickDeaths = backoff.quickDeaths(after: worker.quickDeaths, livedMicros: now - worker.spawnedAt,
                                                     minimumLifetimeSeconds: settings.minWorkerLifetime)
            let delay = backoff.delaySeconds(afterQuickDeaths: worker.quickDeaths)
            worker.respawnNotBefore = now + Int64(delay) * 1_000_000
            if delay > 0, phase == .running { log.info("respawn of worker \(worker.id) delayed \(delay)s") }
        }
        workers[index] = worker
        if status == .exited(22), settings.needApp, !everReady, phase == .running {
            log.error("app could not be loaded; exiting")
            shutDown(.immediate, exitCode: 1)
        }
    }

    private func observeScoreboard() {
        guard !everReady else { return }
        everReady = workers.contains { $0.isAlive && [.ready, .busy].contains(scoreboard[$0.id].status) }
    }

    /// Walks each stopping worker through its plan: `q` on the lifeline, wait, SIGKILL of the group.
    private func advanceStops() {
        let now = monotonicMicroseconds()
        for index in workers.indices {
            guard let pid = workers[index].pid, var progress = workers[index].stop else { continue }
            for action in progress.advance(now: now) {
                switch action {
                case .requestStop:
                    do { try Posix.writeAll(workers[index].lifeline, "q") } catch { /* already dying: reaped soon */ }
                case .killGroup:
                    log.info("killing worker \(workers[index].id) (pid \(pid)) with SIGKILL")
                    _ = try? Processes.killGroup(pid, .kill)
                case .waitUpTo:
                    break
                }
            }
            workers[index].stop = progress
        }
    }

    private func manage() {
        switch phase {
        case .running:
            let now = monotonicMicroseconds()
            for index in workers.indices where !workers[index].isAlive && workers[index].respawnNotBefore <= now {
                spawn(index)
                guard phase == .running else { return }
            }
        case .stopping(let code):
            if !workers.contains(where: \.isAlive) { finish(code) }
        case .finished:
            break
        }
    }

    private func spawn(_ index: Int) {
        let id = workers[index].id
        let now = monotonicMicroseconds()
        let launched: (pid: Int32, lifeline: Int32)
        do {
            launched = try launcher.launch(id: id)
        } catch {
            log.error("cannot spawn worker \(id): \(error)")
            if !everSpawned {
                shutDown(.immediate, exitCode: 1)
            } else {
                workers[index].quickDeaths += 1
                let delay = max(1, backoff.delaySeconds(afterQuickDeaths: workers[index].quickDeaths))
                workers[index].respawnNotBefore = now + Int64(delay) * 1_000_000
                log.info("respawn of worker \(id) delayed \(delay)s")
            }
            return
        }
        everSpawned = true
        workers[index].pid = launched.pid
        workers[index].lifeline = launched.lifeline
        workers[index].spawnedAt = now
        workers[index].generation = generation
        workers[index].spawns += 1
        let slot = scoreboard[id]
        slot.resetForNewProcess()
        slot.pid = launched.pid
        slot.status = .starting
        slot.spawnedMicros = now
        slot.respawns = workers[index].spawns - 1
        slot.generation = generation
        log.info("spawned worker \(id) (pid \(launched.pid))")
    }

    private func finish(_ code: Int32) {
        phase = .finished
        heartbeat?.cancel()
        heartbeat = nil
        // Never leave a worker behind, whatever path got here.
        for worker in workers {
            guard let pid = worker.pid else { continue }
            _ = try? Processes.killGroup(pid, .kill)
            _ = Processes.wait(for: pid)
        }
        exitCode = code
        done.signal()
    }

    /// One-shot wake-up for the earliest pending deadline (back-off end, mercy end) between heartbeats.
    private func scheduleWake() {
        let deadlines = workers.compactMap { worker -> Int64? in
            if let stop = worker.stop { return stop.deadline }
            return worker.isAlive || phase != .running || worker.respawnNotBefore == 0 ? nil : worker.respawnNotBefore
        }
        guard let earliest = deadlines.min() else { return }
        if let pending = nextWake, pending <= earliest, pending > monotonicMicroseconds() { return }
        nextWake = earliest
        let delay = max(0, earliest - monotonicMicroseconds())
        queue.asyncAfter(deadline: .now() + .microseconds(Int(delay))) { [self] in
            if nextWake == earliest { nextWake = nil }
            tick()
        }
    }

    // MARK: reports

    private func logStats() {
        let now = monotonicMicroseconds()
        for worker in workers {
            let slot = scoreboard[worker.id]
            let rss = worker.pid.flatMap(residentSetKB) ?? slot.rssKB
            var line = "stats: worker \(worker.id) (pid \(worker.pid.map(String.init) ?? "-")) \(slot.status): "
                + "\(slot.requests) requests, \(slot.exceptions) exceptions, rss \(rss) KB, respawns \(slot.respawns)"
            if slot.requestStartMicros > 0 {
                let request = slot.currentRequest
                line += ", busy for \((now - slot.requestStartMicros) / 1000) ms" + (request.isEmpty ? "" : " with \(request)")
            }
            log.info(line)
        }
    }

    /// For the stats server and `/metrics` (called from their queue).
    func masterState() -> MasterState {
        queue.sync {
            let mode: MasterState.Mode
            switch phase {
            case .stopping, .finished: mode = .stopping
            case .running: mode = workers.contains { $0.isAlive && $0.generation < generation } ? .reloading : .normal
            }
            return MasterState(mode: mode, workers: workers.map { MasterState.Worker(id: $0.id, pid: $0.pid ?? 0) })
        }
    }

    private func reopenLog() {
        guard let path = settings.logto else { return }
        do {
            try Posix.openLogFile(path)
            log.info("SIGUSR2: log file reopened")
        } catch {
            log.error("cannot reopen log file: \(error)")
        }
    }
}
