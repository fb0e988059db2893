import Dispatch
import LiegeConfig
import LiegeSystem

/// The emperor's loop, arbiter style (like the master's): one serial queue owns every piece of state.
/// Signals, inotify, the periodic rescan, links from the masters and on-demand sockets only enqueue work;
/// `tick` is the one place that reaps, advances stops, respawns and decides when to exit.
final class Governor: @unchecked Sendable {
    static let handledSignals: [UnixSignal] = [.child, .hangup, .terminate, .interrupt, .quit, .user1, .user2, .urgent]

    enum Phase: Equatable {
        case running, stopping, finished
    }

    let queue = DispatchQueue(label: "liege.emperor")
    let settings: EmperorSettings
    let log = Logger(name: "emperor")
    let environment: [String: String]
    let launcher: VassalLauncher
    let scanner: VassalScanner
    let notifier: SystemdNotifier
    var vassals: [String: VassalRecord] = [:]
    var lastScan: [String: VassalFile] = [:]
    var reportedProblems: Set<String> = []
    var inotify: Inotify?
    var watchByPath: [String: Int32] = [:]
    var linkSources: [String: DispatchSourceRead] = [:]
    var linkBuffers: [String: [UInt8]] = [:]
    var onDemandSources: [String: DispatchSourceRead] = [:]
    var statsSocket: ListeningSocket?
    var statsSource: DispatchSourceRead?
    var metricsServer: DocumentServer?
    var rescanPending = false
    var phase = Phase.running
    var startedAt: Int64 = 0
    var readyNotified = false
    var lastStatus = ""
    private var signals: SignalSources?
    private var rescanTimer: DispatchSourceTimer?
    private lazy var wakeup = Wakeup(queue: queue)
    private var exitCode: Int32 = 0
    private let done = DispatchSemaphore(value: 0)

    init(settings: EmperorSettings, environment: [String: String]) {
        self.settings = settings
        self.environment = environment
        launcher = VassalLauncher(environment: environment)
        scanner = VassalScanner.live(sources: settings.sources, followLinks: settings.followLinks)
        notifier = SystemdNotifier(environment: environment)
    }

    /// Runs until a stop is complete; returns the exit status.
    func run() -> Int32 {
        signals = SignalSources(Self.handledSignals, queue: queue) { [self] signal in handle(signal) }
        queue.async { [self] in
            startedAt = monotonicMicroseconds()
            startWatching()
            startStatsServer()
            startMetricsServer()
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let period = DispatchTimeInterval.seconds(settings.rescanSeconds)
            timer.schedule(deadline: .now() + period, repeating: period, leeway: .milliseconds(500))
            timer.setEventHandler { [self] in
                rescan()
                tick()
            }
            timer.resume()
            rescanTimer = timer
            log.info("emperor governing \(settings.sources.map(\.description).joined(separator: ", ")) (pid \(Posix.processID))")
            rescan()
            tick()
        }
        done.wait()
        return exitCode
    }

    // MARK: signals

    private func handle(_ signal: UnixSignal) {
        switch signal {
        case .terminate:
            stopAll(immediate: false)
        case .interrupt, .quit:
            stopAll(immediate: true)
        case .hangup:
            log.info("SIGHUP: reloading every vassal")
            notifier.notify("RELOADING=1")
            rescan()
            for name in vassals.keys.sorted() {
                switch vassals[name]?.state {
                case .starting, .running: reloadIfRunning(name, reason: "SIGHUP")
                case .invalid, .backoff:
                    // Not running: its config may depend on files that changed; try it again now.
                    vassals[name]?.failures = 0
                    vassals[name]?.respawnAt = nil
                    start(name, reason: "SIGHUP")
                default: break
                }
            }
            notifier.notify("READY=1")
        case .user1:
            logStatus()
        case .user2:
            log.info("SIGUSR2: the emperor logs to stderr; nothing to reopen")
        case .urgent:
            log.info("SIGURG: respawn back-off reset for every vassal")
            for name in vassals.keys.sorted() {
                vassals[name]?.failures = 0
                if vassals[name]?.state == .backoff { vassals[name]?.respawnAt = 0 }
            }
        default:
            break
        }
        tick()
    }

    private func stopAll(immediate: Bool) {
        guard phase != .finished else { return }
        if phase == .running {
            notifier.notify("STOPPING=1")
            rescanTimer?.cancel()
            rescanTimer = nil
            inotify?.close()
            inotify = nil
        } else if !immediate {
            return
        }
        phase = .stopping
        log.info(immediate ? "immediate shutdown of every vassal" : "graceful shutdown of every vassal")
        for name in vassals.keys.sorted() {
            closeOnDemand(name)
            guard let record = vassals[name] else { continue }
            if record.isAlive {
                if immediate || record.stop == nil { stop(name, immediate: immediate) }
            } else {
                vassals[name] = nil
            }
        }
    }

    // MARK: the loop

    func tick() {
        guard phase != .finished else { return }
        reap()
        advanceStops()
        manage()
        reportReadiness()
        scheduleWake()
    }

    private func reap() {
        for (pid, status) in Processes.reap() {
            if let name = vassals.first(where: { $0.value.pid == pid })?.key {
                vassalExited(name, status: status)
            } else {
                log.info("child \(pid) \(status)")
            }
        }
    }

    private func manage() {
        let now = monotonicMicroseconds()
        switch phase {
        case .running:
            for name in vassals.keys.sorted() {
                guard let record = vassals[name] else { continue }
                if record.state == .backoff, let at = record.respawnAt, at <= now {
                    vassals[name]?.respawnAt = nil
                    start(name, reason: "respawn")
                }
                if record.state == .reloading, let at = record.reloadRequestedAt, now - at > 120_000_000 {
                    log.info("vassal \(name) did not report its reload within 120 s; counted as running")
                    vassals[name]?.state = .running
                    vassals[name]?.reloadRequestedAt = nil
                }
            }
        case .stopping:
            if !vassals.values.contains(where: \.isAlive) { finish() }
        case .finished:
            break
        }
    }

    private func finish() {
        phase = .finished
        statsSource?.cancel()   // its cancel handler closes the socket
        statsSocket?.removeSocketFile()
        metricsServer?.stop()
        if let path = settings.pidfile { try? Posix.removeFile(path) }
        log.info("emperor exiting")
        exitCode = 0
        done.signal()
    }

    /// One-shot wake-up for the earliest deadline (back-off end, stop mercy end, readiness limit).
    private func scheduleWake() {
        var deadlines: [Int64] = []
        for record in vassals.values {
            if let deadline = record.stop?.deadline { deadlines.append(deadline) }
            if record.state == .backoff, let at = record.respawnAt { deadlines.append(at) }
        }
        if !readyNotified { deadlines.append(startedAt + Int64(Self.readinessLimitSeconds) * 1_000_000) }
        guard let earliest = deadlines.min() else { return }
        wakeup.arm(at: earliest) { [self] in tick() }
    }

    static let readinessLimitSeconds = 30
}

extension VassalSource: CustomStringConvertible {
    public var description: String { namePattern.map { directory + "/" + $0 } ?? directory }
}
