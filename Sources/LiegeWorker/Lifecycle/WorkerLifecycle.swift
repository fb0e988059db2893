import LiegeConfig
import LiegeSystem
import Synchronization

/// The worker's own side of recycling (SPEC.md §4): `max-requests` (+ `max-requests-delta`),
/// `reload-on-rss`, the `harakiri` watchdog, and the held start of a reload's first new worker.
final class WorkerLifecycle: Sendable {
    /// Exit status after a harakiri abort (the master respawns at once, without back-off).
    static let harakiriExitStatus = WorkerContract.harakiriExitStatus

    let id: Int
    let held: Bool
    private let maxRequests: Int
    private let reloadOnRSSKB: Int
    private let minimumLifetimeMicros: Int64
    let harakiriMicros: Int64
    private let startedAt = monotonicMicroseconds()
    private let served = Atomic<Int>(0)
    private let recycling = Atomic<Bool>(false)
    private let watches = Mutex<[RequestWatch]>([])
    let state: WorkerState
    let logger: Logger

    init(id: Int, config: Config, environment: [String: String], state: WorkerState, logger: Logger) {
        self.id = id
        held = environment[WorkerContract.holdVariable] == "1"
        let base = config[.maxRequests]
        maxRequests = base > 0 ? base + (id - 1) * config[.maxRequestsDelta] : 0
        reloadOnRSSKB = config[.reloadOnRSS] * 1024
        minimumLifetimeMicros = Int64(config[.minWorkerLifetime]) * 1_000_000
        harakiriMicros = Int64(config[.harakiri]) * 1_000_000
        self.state = state
        self.logger = logger
    }

    /// A held worker with apps to load: every import (the default app and each mount) must succeed, or the
    /// reload is aborted.
    static func isImportCheck(config: Config, environment: [String: String]) -> Bool {
        environment[WorkerContract.holdVariable] == "1" && (!AppMounts(config: config).isEmpty || config[.asgi] != nil)
    }

    /// A held worker waits here for `g` on its lifeline (true: accept now) or `q` / end of file (false: exit).
    func holdUntilReleased() -> Bool {
        guard held else { return true }
        logger.info("worker \(id) loaded the app (pid \(Posix.processID)); waiting for the old worker to leave")
        var byte = [UInt8](repeating: 0, count: 1)
        while true {
            let got = (try? byte.withUnsafeMutableBytes { try Posix.read(5, into: $0) }) ?? 0
            if got <= 0 || byte[0] == UInt8(ascii: "q") { return false }
            if byte[0] == UInt8(ascii: "g") { return true }
        }
    }

    /// The observer of one thread that answers requests (the loop's own answers are never harakiri'd).
    func watch(_ observer: SlotObserver, harakiri: Bool = true) -> RequestWatch {
        let watch = RequestWatch(inner: observer, lifecycle: self, tracksHarakiri: harakiri && harakiriMicros > 0)
        watches.withLock { $0.append(watch) }
        return watch
    }

    /// After each response: count it, check the RSS; stop accepting when a limit is reached.
    func requestFinished() {
        let count = served.add(1, ordering: .relaxed).newValue
        if maxRequests > 0, count >= maxRequests {
            recycle("max-requests reached (\(count) of \(maxRequests))")
            return
        }
        guard reloadOnRSSKB > 0, monotonicMicroseconds() - startedAt >= minimumLifetimeMicros,
              let rss = residentSetKB(Posix.processID), rss > reloadOnRSSKB else { return }
        recycle("reload-on-rss: rss \(rss / 1024) MB > \(reloadOnRSSKB / 1024) MB")
    }

    /// Stops accepting and ends the worker once its requests are done; the master starts a fresh one.
    func recycle(_ reason: String) {
        guard recycling.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        logger.info("worker \(id) (pid \(Posix.processID)) recycling: \(reason)")
        state.stop()
    }

    /// harakiri: a thread that looks every 100 ms for a request older than the limit. On expiry the
    /// other threads' unanswered requests get a 503, `emergency` lets the loop answer and send what it
    /// holds (it ends the process), and a second later the watchdog ends it anyway.
    func startWatchdog(emergency: @escaping @Sendable () -> Void) {
        guard harakiriMicros > 0 else { return }
        _ = WorkerSupport.startThread { [self] in
            while !state.isStopping || watches.withLock({ $0.contains { $0.isBusy } }) {
                sleepMilliseconds(100)
                let now = monotonicMicroseconds()
                for watch in watches.withLock({ $0 }) {
                    guard let expired = watch.abortIfOlder(than: harakiriMicros, now: now) else { continue }
                    logger.error("HARAKIRI: worker \(id) (pid \(Posix.processID)) aborted \(expired.request) after "
                                 + "\((now - expired.startedAt) / 1_000_000)s (harakiri \(harakiriMicros / 1_000_000)s)"
                                 + (expired.answered ? ", 504 sent" : ", response already started"))
                    for other in watches.withLock({ $0 }) where other !== watch { other.abandon() }
                    emergency()
                    sleepMilliseconds(1000)
                    exitImmediately(Self.harakiriExitStatus)
                }
            }
        }
    }
}
