import Dispatch
import LiegeConfig
import LiegeSystem

/// The master's loop, in the style of gunicorn's arbiter: one serial queue owns every piece of state;
/// signal sources, the FIFO, file watchers and timers only enqueue work and then `tick`, the one place
/// that decides: reap -> observe (readiness, reload progress) -> recycle checks -> advance stops
/// (murder) -> manage (refill slots or finish).
final class Arbiter: @unchecked Sendable {
    static let handledSignals: [UnixSignal] = [.child, .hangup, .terminate, .interrupt, .quit, .user1, .user2]

    enum Phase: Equatable {
        case running
        case stopping(exitCode: Int32)
        case finished
    }

    let queue = DispatchQueue(label: "liege.master.arbiter")
    let resources: MasterResources
    let pump: LogPump
    let launcher: WorkerLauncher
    let log: Logger
    let facts: ProcessFacts
    let backoff = RespawnBackoff()
    let daemons: DaemonSupervisor
    let cron: CronScheduler
    var current: Generation
    var generations: [Generation]
    var workers: [WorkerRecord] = []
    var history: [Int: SlotHistory] = [:]
    var phase = Phase.running
    var reload: ReloadState?
    var pendingReload: ReloadKind?
    var generationCount = 0
    var everReady = false
    var everSpawned = false
    var paused = false
    /// How many workers are wanted (cheap, idle, cheaper: SPEC.md §8).
    var scaling: WorkerCountPolicy
    /// While cheap with no worker: waits for a connection on the sockets.
    var socketWatch: SocketWatch?
    var signals: SignalSources?
    var heartbeat: DispatchSourceTimer?
    var fastTimer: DispatchSourceTimer?
    lazy var wakeup = Wakeup(queue: queue)
    var fifo: ControlFifo?
    var watchers: [FileWatcher] = []
    var exitCode: Int32 = 0
    /// Harakiri counts and counters of retired generations, for stats and /metrics (Stats/Arbiter+Stats.swift).
    var statsLedger = StatsLedger()
    let done = DispatchSemaphore(value: 0)

    init(first: Generation, resources: MasterResources, pump: LogPump, log: Logger, facts: ProcessFacts) {
        current = first
        generations = [first]
        self.resources = resources
        self.pump = pump
        self.log = log
        self.facts = facts
        launcher = WorkerLauncher(name: first.settings.name, pump: pump)
        scaling = WorkerCountPolicy(settings: first.settings.scaling, now: monotonicMicroseconds())
        let attached = AttachedSettings(first.config, base: facts.environment)
        daemons = DaemonSupervisor(settings: attached, log: log, queue: queue)
        cron = CronScheduler(settings: attached, log: log)
        daemons.onControlDeath = { [unowned self] in shutDown(graceful: true, exitCode: 1); tick() }
    }

    var settings: MasterSettings { current.settings }

    /// Runs until every worker is gone after a stop; returns the exit status.
    func run() -> Int32 {
        signals = SignalSources(Self.handledSignals, queue: queue) { [self] signal in handle(signal) }
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(50))
            timer.setEventHandler { [self] in
                watchers.forEach { $0.rescanUnlessPending() }
                fifo?.ensurePresent()
                sampleScaling()
                tick()
            }
            timer.resume()
            heartbeat = timer
            startControls()
            announceScaling()
            daemons.start()
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
            shutDown(graceful: true, exitCode: 0)
        case .interrupt, .quit:
            log.info("\(signal): immediate shutdown")
            shutDown(graceful: false, exitCode: 0)
        case .hangup:
            log.info("\(signal): graceful reload requested")
            requestReload(.graceful)
        case .user1:
            logStats()
        case .user2:
            reopenLog(reason: "\(signal)")
        default:
            break
        }
        tick()
    }

    /// The one place that decides.
    func tick() {
        guard phase != .finished else { return }
        reap()
        daemons.tick()
        cron.tick()
        observe()
        if phase == .running { checkRecycling() }
        advanceStops()
        updateSocketWatch()
        manage()
        retireGenerations()
        scheduleWake()
    }

    // MARK: decisions

    func shutDown(graceful: Bool, exitCode code: Int32) {
        switch phase {
        case .finished: return
        case .stopping: guard !graceful else { return }   // only escalate
        case .running: phase = .stopping(exitCode: code)
        }
        daemons.shutDown(immediate: !graceful)
        cron.shutDown(immediate: !graceful)
        abortReload(reason: nil)
        pendingReload = nil
        let plan = graceful ? StopPlan.graceful(mercySeconds: min(settings.workerReloadMercy, settings.reloadMercy)) : .immediate
        for index in workers.indices where !graceful || workers[index].stop == nil {
            workers[index].stop = StopProgress(plan: plan)
        }
        if graceful { stopDeadline = monotonicMicroseconds() + Int64(settings.reloadMercy) * 1_000_000 }
    }

    /// Graceful stop: everything left when `reload-mercy` is over is killed.
    var stopDeadline: Int64?

    /// Walks each stopping worker through its plan: `q` on the lifeline, wait, SIGKILL of the group.
    private func advanceStops() {
        let now = monotonicMicroseconds()
        if let deadline = stopDeadline, now >= deadline {
            stopDeadline = nil
            for index in workers.indices { workers[index].stop = StopProgress(plan: .immediate) }
        }
        for index in workers.indices {
            guard var progress = workers[index].stop else { continue }
            let worker = workers[index]
            for action in progress.advance(now: now) {
                switch action {
                case .requestStop:
                    do { try Posix.writeAll(worker.lifeline, "q") } catch { /* already dying: reaped soon */ }
                case .killGroup:
                    log.info("killing worker \(worker.id) (pid \(worker.pid)) with SIGKILL")
                    _ = try? Processes.killGroup(worker.pid, .kill)
                case .waitUpTo:
                    break
                }
            }
            workers[index].stop = progress
        }
    }

    /// Lets a held new worker accept once the old process of its slot is gone, then brings the number
    /// of workers to what the scaling policy wants (`manageCount`: empty slots refilled respecting
    /// back-off, idle workers above the count stopped). While stopping: finish when no worker is left.
    private func manage() {
        switch phase {
        case .running:
            for index in workers.indices where workers[index].held && workers[index].stop == nil
                && workers[index].generation === current {
                let id = workers[index].id
                if workers.lazy.filter({ $0.id == id }).count == 1 { release(index) }
            }
            guard !paused else { return }
            manageCount(now: monotonicMicroseconds())
        case .stopping(let code):
            if workers.isEmpty, daemons.isIdle, cron.isIdle { finish(code) }
        case .finished:
            break
        }
    }

    @discardableResult
    func spawn(id: Int, in generation: Generation, held: Bool) -> Int32? {
        let now = monotonicMicroseconds()
        var record = history[id] ?? SlotHistory()
        // The slot is prepared before the process exists: a fast worker may report `ready` before
        // posix_spawn even returns here, and that must not be overwritten (single writer per field).
        let slot = generation.scoreboard[id]
        slot.resetForNewProcess()
        slot.status = .starting
        slot.spawnedMicros = now
        slot.respawns = record.spawns
        slot.generation = generation.number
        let launched: (pid: Int32, lifeline: Int32)
        do {
            launched = try launcher.launch(id: id, generation: generation, held: held)
        } catch {
            slot.resetForNewProcess()
            log.error("cannot spawn worker \(id): \(error)")
            if !everSpawned {
                shutDown(graceful: false, exitCode: 1)
            } else {
                record.quickDeaths += 1
                let delay = max(1, backoff.delaySeconds(afterQuickDeaths: record.quickDeaths))
                record.respawnNotBefore = now + Int64(delay) * 1_000_000
                history[id] = record
                log.info("respawn of worker \(id) delayed \(delay)s")
            }
            return nil
        }
        slot.pid = launched.pid
        everSpawned = true
        record.spawns += 1
        history[id] = record
        workers.append(WorkerRecord(id: id, pid: launched.pid, lifeline: launched.lifeline, generation: generation,
                                    spawnedAt: now, held: held))
        log.info("spawned worker \(id) (pid \(launched.pid))\(held ? ", loading the app before it accepts" : "")")
        return launched.pid
    }

    /// A held worker may accept now (`g` on its lifeline).
    private func release(_ index: Int) {
        workers[index].held = false
        do {
            try Posix.writeAll(workers[index].lifeline, "g")
            log.info("worker \(workers[index].id) (pid \(workers[index].pid)) accepting")
        } catch { /* it died meanwhile: reaped soon */ }
    }

    private func finish(_ code: Int32) {
        phase = .finished
        heartbeat?.cancel()
        heartbeat = nil
        fastTimer?.cancel()
        fastTimer = nil
        socketWatch?.cancel()
        socketWatch = nil
        stopControls()
        // Never leave a worker behind, whatever path got here.
        for worker in workers {
            _ = try? Processes.killGroup(worker.pid, .kill)
            _ = Processes.wait(for: worker.pid)
        }
        daemons.killRemaining()
        cron.killRemaining()
        exitCode = code
        done.signal()
    }
}
