import LiegeConfig
import LiegePython
import LiegeSystem
import Synchronization

/// The last step of a graceful stop (lifeline `q`, recycling, master gone), after the last request in
/// flight: the app's Python exit handlers (`atexit`, hence `logging.shutdown`), then the caller exits 0.
/// The immediate paths never get here (harakiri `_exit`s, SIGKILL), so no Python runs on them, as in uWSGI.
/// A handler that hangs is bounded twice: the master SIGKILLs a worker it asked to stop once its mercy
/// (`worker-reload-mercy`, or `reload-mercy` when shutting down) is over; and a worker that stops on its own
/// (max-requests, reload-on-rss, an orphan whose master died) gives up here one second after
/// `worker-reload-mercy`, exiting 1 without waiting any longer.
final class ExitHandlers: Sendable {
    static let timeoutExitStatus = WorkerContract.exitHandlersTimeoutExitStatus

    private let id: Int
    private let limitSeconds: Int
    /// `skip-atexit`: nothing runs.
    private let skipped: Bool
    private let logger: Logger
    private let finished = Atomic<Bool>(false)

    init(id: Int, config: Config, logger: Logger) {
        self.id = id
        limitSeconds = max(config[.workerReloadMercy], 1) + 1
        skipped = config[.skipAtexit]
        self.logger = logger
    }

    /// Runs the handlers on the calling thread (the worker's main thread); returns when they are done.
    func run() {
        guard !skipped else { return }
        let limit = limitSeconds
        _ = WorkerSupport.startThread { [self] in
            sleepSeconds(limit)
            guard !finished.load(ordering: .acquiring) else { return }
            logger.error("worker \(id) (pid \(Posix.processID)): the Python exit handlers still run after \(limit)s "
                         + "(worker-reload-mercy + 1): exiting without them")
            exitImmediately(Self.timeoutExitStatus)
        }
        do {
            try PythonRuntime.runExitHandlers()
        } catch {
            logger.error("worker \(id) (pid \(Posix.processID)): \(error.message)\n\(error.traceback)")
        }
        finished.store(true, ordering: .releasing)
    }
}
