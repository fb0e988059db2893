import LiegeConfig
import LiegePython
import LiegeSystem

/// The worker process: `liege worker ID NAME`, spawned by the master with the descriptors of the
/// process contract (fd 3 config, 4 scoreboard, 5 lifeline, 6... listening sockets).
public enum Worker {
    public static let exitAppNotLoadable: Int32 = 22

    /// Runs worker `id`; returns the exit status (0 stop, 22 app not loadable, 1 other failure).
    public static func run(id: Int) -> Int32 {
        Posix.ignoreBrokenPipe()
        let config: Config
        do {
            config = Config(serialized: String(decoding: try WorkerSupport.readShared(3), as: UTF8.self))
        } catch {
            Logger(name: "worker \(id)").error("cannot read the config from the master: \(error)")
            return 1
        }
        ProcessTitle.set("liege worker \(id) \(config.name)")
        let logger = Logger(name: "\(config.name) worker \(id)")
        let options = ServingOptions(config: config)
        if let directory = config.string("chdir"), !directory.isEmpty {
            do {
                try WorkerSupport.changeDirectory(directory)
            } catch {
                logger.error("chdir \(directory): \(error)")
                return 1
            }
        }
        let facts = ProcessFacts.current
        let apps = AppLoader(config: config, workingDirectory: facts.workingDirectory, logger: logger)
        switch apps.loadAtStart(needApp: options.needApp) {
        case .loaded: break
        case .retrying:
            // A reload's import check must really load the app, whatever need-app says (SPEC.md §5.1).
            if WorkerLifecycle.isImportCheck(config: config, environment: facts.environment) { return exitAppNotLoadable }
        case .fatal: return exitAppNotLoadable
        }
        let state: WorkerState
        do {
            state = try WorkerState()
        } catch {
            logger.error("cannot create the wake pipe: \(error)")
            return 1
        }
        let listeners = Listener.inherited(protocols: facts.environment["LIEGE_SOCKETS"] ?? "")
        listeners.forEach { $0.prepare(headerTimeout: options.headerTimeout) }
        let slot = SlotObserver(id: id, state: state)
        let lifecycle = WorkerLifecycle(id: id, config: config, environment: facts.environment, state: state, logger: logger)
        slot.markReady()
        let exitHandlers = ExitHandlers(id: id, config: config, logger: logger)
        guard lifecycle.holdUntilReleased() else {
            exitHandlers.run()   // a held worker told to leave: its app is loaded, so its handlers run too
            return 0
        }
        watchLifeline(state: state)
        let queue = JobQueue(threads: options.threads)
        let loop: WorkerLoop
        let mailbox: LoopMailbox
        do {
            mailbox = try LoopMailbox()
            loop = try WorkerLoop(options: options, listeners: listeners, state: state, queue: queue, mailbox: mailbox,
                                  observer: lifecycle.watch(slot, harakiri: false), workerID: id,
                                  errorLog: { [logger] text in logger.error(text) })
            lifecycle.startWatchdog(emergency: { mailbox.postEmergency() })
        } catch {
            logger.error("cannot start the event loop: \(error)")
            return 1
        }
        logger.info("worker \(id) ready (pid \(Posix.processID), \(options.threads) thread\(options.threads == 1 ? "" : "s"))")
        // The loop gets a thread of its own; the app runs on this one (the thread that initialised Python,
        // where signal.signal() works) and on `threads - 1` more.
        let loopThread = WorkerSupport.startThread {
            loop.run()
            queue.close()
        }
        let errorLog: @Sendable (String) -> Void = { [logger] text in logger.error(text) }
        let appThreads = (1..<options.threads).map { _ in
            WorkerSupport.startThread {
                AppThread(queue: queue, mailbox: mailbox, app: apps, options: options, watch: lifecycle.watch(slot), workerID: id,
                          state: state, errorLog: errorLog).run()
            }
        }
        AppThread(queue: queue, mailbox: mailbox, app: apps, options: options, watch: lifecycle.watch(slot), workerID: id, state: state,
                  errorLog: errorLog).run()
        appThreads.forEach { $0.join() }
        loopThread.join()
        slot.markStopped()
        exitHandlers.run()
        logger.info("worker \(id) stopped (pid \(Posix.processID))")
        return 0
    }

    /// fd 5: a `q` asks for a graceful stop; end of file means the master is gone: stop as well.
    private static func watchLifeline(state: WorkerState) {
        _ = WorkerSupport.startThread {
            var byte = [UInt8](repeating: 0, count: 1)
            while true {
                let got = (try? byte.withUnsafeMutableBytes { try Posix.read(5, into: $0) }) ?? 0
                if got <= 0 || byte[0] == UInt8(ascii: "q") {
                    state.stop()
                    return
                }
            }
        }
    }
}
