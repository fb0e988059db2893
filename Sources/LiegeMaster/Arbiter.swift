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
    /// The spooler processes (`spooler = DIR`, Uwsgi/SpoolerSupervisor.swift).
    let spoolers: SpoolerSupervisor
    var current: Generation
    var generations: [Generation]
    /// Every live worker; the one place their state changes (Workers/WorkerTable.swift).
    var workers = WorkerTable()
    /// Preloaders (`lazy-apps = false`) and what the master knows about preloading (Preload/).
    var preload = PreloadBook()
    var history: [Int: SlotHistory] = [:]
    var phase = Phase.running
    /// Reload decisions (Reload/ReloadPlanner.swift), carried out by Arbiter+Reload.swift.
    var planner = ReloadPlanner()
    var generationCount = 0
    var everReady = false
    var everSpawned = false
    var paused = false
    /// While a graceful stop waits out `drain-delay` (monotonic µs), and the exit status it then stops with.
    var drainUntil: Int64?
    var drainExitCode: Int32 = 0
    /// How many workers are wanted (cheap, idle, cheaper: SPEC.md §8).
    var scaling: WorkerCountPolicy
    /// While cheap with no worker: waits for a connection on the sockets.
    var socketWatch: SocketWatch?
    var signals: SignalSources?
    var heartbeat: DispatchSourceTimer?
    var fastTimer: DispatchSourceTimer?
    lazy var wakeup = Wakeup(queue: queue)
    /// The master FIFO and the touch files (Controls/MasterControls.swift).
    lazy var controls = MasterControls(queue: queue, log: log, onCommand: { [unowned self] byte in
        command(byte)
        tick()
    }, onTouch: { [unowned self] option in
        touched(option)
        tick()
    })
    /// `stats` and `metrics`, set by `Master.run` before `run()`.
    var stats: StatsService?
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
        spoolers = SpoolerSupervisor(settings: UwsgiAPISettings(first.config).spooler, workingDirectory: facts.workingDirectory,
                                     mercy: first.settings.reloadMercy, log: log)
        daemons.onControlDeath = { [unowned self] in shutDown(graceful: true, exitCode: 1); tick() }
    }

    var settings: MasterSettings { current.settings }

    /// Runs until every worker is gone after a stop; returns the exit status.
    func run() -> Int32 {
        signals = SignalSources(Self.handledSignals, queue: queue) { [self] signal in handle(signal) }
        queue.async { [self] in
            controls.start(settings)
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
            stopGracefully(exitCode: 0, reason: "\(signal)")
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
        endDrainIfDue()
        reap()
        daemons.tick()
        cron.tick()
        tickSpoolers()
        observe()
        if phase == .running { checkRecycling() }
        advanceStops()
        retirePreloaders(now: monotonicMicroseconds())
        updateSocketWatch()
        manage()
        retireGenerations()
        scheduleWake()
    }

    // MARK: decisions

    func shutDown(graceful: Bool, exitCode code: Int32, reason: StopReason = .shutdown) {
        switch phase {
        case .finished: return
        case .stopping: guard !graceful else { return }   // only escalate
        case .running: phase = .stopping(exitCode: code)
        }
        if !graceful { killPreloaders() }
        daemons.shutDown(immediate: !graceful)
        cron.shutDown(immediate: !graceful)
        spoolers.shutDown(immediate: !graceful, now: monotonicMicroseconds())
        follow(.shutdown)
        let plan = graceful ? StopPlan.graceful(mercySeconds: min(settings.workerReloadMercy, settings.reloadMercy)) : .immediate
        workers.stop(where: { _ in true }, plan: plan, reason: reason, replacing: !graceful)
        if graceful { stopDeadline = monotonicMicroseconds() + Int64(settings.reloadMercy) * 1_000_000 }
    }

    /// Graceful stop: everything left when `reload-mercy` is over is killed.
    var stopDeadline: Int64?

    /// Walks each stopping worker through its plan: `q` on the lifeline, wait, SIGKILL of the group.
    private func advanceStops() {
        let now = monotonicMicroseconds()
        if let deadline = stopDeadline, now >= deadline {
            stopDeadline = nil
            workers.stop(where: { _ in true }, plan: .immediate, reason: nil, replacing: true)
        }
        for (worker, step) in workers.advanceStops(now: now) {
            switch step {
            case .requestStop:
                do { try Posix.writeAll(worker.lifeline, "q") } catch { /* already dying: reaped soon */ }
            case .killGroup:
                log.info("killing worker \(worker.id) (pid \(worker.pid)) with SIGKILL")
                _ = try? Processes.killGroup(worker.pid, .kill)
            case .waitUpTo:
                break
            }
        }
    }

    /// Lets a held new worker accept once the old process of its slot is gone, then brings the number
    /// of workers to what the scaling policy wants (`manageCount`: empty slots refilled respecting
    /// back-off, idle workers above the count stopped). While stopping: finish when no worker is left.
    private func manage() {
        switch phase {
        case .running:
            for worker in workers where worker.held && !worker.isStopping && worker.generation === current {
                if workers.lazy.filter({ $0.id == worker.id }).count == 1 { release(worker) }
            }
            let now = monotonicMicroseconds()
            ensurePreloader(now: now)
            guard !paused else { return }
            manageCount(now: now)
        case .stopping(let code):
            if workers.isEmpty, preload.preloaders.isEmpty, daemons.isIdle, cron.isIdle, spoolers.isIdle { finish(code) }
        case .finished:
            break
        }
    }

    private func finish(_ code: Int32) {
        phase = .finished
        heartbeat?.cancel()
        heartbeat = nil
        fastTimer?.cancel()
        fastTimer = nil
        socketWatch?.cancel()
        socketWatch = nil
        controls.stop(removeFifo: settings.vacuum)
        // Never leave a worker behind, whatever path got here.
        for worker in workers {
            _ = try? Processes.killGroup(worker.pid, .kill)
            _ = Processes.wait(for: worker.pid)
        }
        killPreloaders()
        for record in preload.preloaders { _ = Processes.wait(for: record.pid) }
        daemons.killRemaining()
        cron.killRemaining()
        spoolers.killRemaining()
        exitCode = code
        done.signal()
    }
}
