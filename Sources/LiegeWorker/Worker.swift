import LiegeConfig
import LiegePython
import LiegeSystem

/// The worker process: `liege worker ID NAME`, spawned by the master with the descriptors of the
/// process contract (fd 3 config, 4 scoreboard, 5 lifeline, 6... listening sockets). `run` loads the
/// app and calls `serve`; a worker forked from a preloader (`lazy-apps = false`, Preload/Preloader.swift)
/// has its app already and calls `serve` directly, with the same descriptors in place.
public enum Worker {
    public static let exitAppNotLoadable = WorkerContract.appNotLoadableExitStatus

    /// Runs worker `id`; returns the exit status (0 stop, 22 app not loadable, 1 other failure).
    public static func run(id: Int) -> Int32 {
        Posix.ignoreBrokenPipe()
        guard let config = readConfig(title: "worker \(id)") else { return 1 }
        UwsgiSetup.publish(config, role: .worker)
        ProcessTitle.set(ProcessTitles(config).worker(id: id, name: config.name))
        let logger = Logger(name: "\(config.name) worker \(id)")
        let options = ServingOptions(config: config)
        guard enterDirectory(config, logger: logger) else { return 1 }
        let facts = ProcessFacts.current
        let apps = AppLoader(config: config, workingDirectory: facts.workingDirectory, logger: logger)
        switch apps.loadAtStart(needApp: options.needApp) {
        case .loaded: break
        case .retrying:
            // A reload's import check must really load the app, whatever need-app says (SPEC.md §5.1).
            if WorkerLifecycle.isImportCheck(config: config, environment: facts.environment) { return exitAppNotLoadable }
        case .fatal: return exitAppNotLoadable
        }
        return serve(LoadedWorker(id: id, config: config, logger: logger, options: options, apps: apps,
                                  environment: facts.environment))
    }

    /// The config from fd 3 (the master's memfd), after setting the process title `liege ROLE NAME`.
    static func readConfig(title role: String) -> Config? {
        do {
            let config = Config(serialized: String(decoding: try WorkerSupport.readShared(WorkerContract.configFD), as: UTF8.self))
            ProcessTitle.set("liege \(role) \(config.name)")
            return config
        } catch {
            Logger(name: role).error("cannot read the config from the master: \(error)")
            return nil
        }
    }

    /// `chdir`, before the app is loaded; false (logged) when it fails.
    static func enterDirectory(_ config: Config, logger: Logger) -> Bool {
        guard let directory = config[.chdir] else { return true }
        do {
            try WorkerSupport.changeDirectory(directory)
            return true
        } catch {
            logger.error("chdir \(directory): \(error)")
            return false
        }
    }

    /// Serves with an app loaded in this process (GIL released): the app's postfork functions, then
    /// the slot, the hold of a reload's import check, the lifeline, the event loop and the app threads, the
    /// exit handlers.
    static func serve(_ loaded: LoadedWorker) -> Int32 {
        let (id, config, logger, options, apps, environment) =
            (loaded.id, loaded.config, loaded.logger, loaded.options, loaded.apps, loaded.environment)
        do {
            try PythonRuntime.runPostforkFunctions(workerID: id)
        } catch {
            logger.error("worker \(id): \(error.message)\n\(error.traceback)")
            return exitAppNotLoadable
        }
        let state: WorkerState
        do {
            state = try WorkerState()
        } catch {
            logger.error("cannot create the wake pipe: \(error)")
            return 1
        }
        let listeners = Listener.inherited(protocols: environment[WorkerContract.socketsVariable] ?? "")
        listeners.forEach { $0.prepare(headerTimeout: options.timeouts(for: $0.proto).header) }
        let slot = SlotObserver(id: id, state: state)
        let lifecycle = WorkerLifecycle(id: id, config: config, environment: environment, state: state, logger: logger)
        let mailbox: LoopMailbox
        do {
            mailbox = try LoopMailbox()
        } catch {
            logger.error("cannot start the event loop: \(error)")
            return 1
        }
        var asgi: ASGIWorker?
        if let app = apps.asgiApplication {
            // The lifespan startup runs before the worker is ready: no request reaches an app that is not.
            guard let started = ASGIWorker.start(app: app, id: id, options: options, mailbox: mailbox, state: state,
                                                 observer: lifecycle.watch(slot, harakiri: false), logger: logger) else {
                return exitAppNotLoadable
            }
            asgi = started
        } else {
            // need-app = false and the ASGI app did not import: 503s until a retry imports it, then a
            // fresh worker (which loads it at start) serves it on its asyncio loop.
            apps.whenASGIAppArrives { [lifecycle] in lifecycle.recycle("the ASGI app is importable now: a fresh worker serves it") }
        }
        slot.markReady()
        let exitHandlers = ExitHandlers(id: id, config: config, logger: logger)
        guard lifecycle.holdUntilReleased() else {
            exitHandlers.run()   // a held worker told to leave: its app is loaded, so its handlers run too
            return 0
        }
        watchLifeline(state: state)
        let queue = JobQueue(threads: options.threads)
        let loop: WorkerLoop
        do {
            loop = try WorkerLoop(options: options, listeners: listeners, state: state, queue: queue, mailbox: mailbox,
                                  observer: lifecycle.watch(slot, harakiri: false), workerID: id, asgi: asgi?.service,
                                  errorLog: { [logger] text in logger.error(text) })
            if let asgi {
                lifecycle.startASGIWatchdog(inbox: asgi.service.inbox, mailbox: mailbox, emergency: { mailbox.postEmergency() })
            } else {
                lifecycle.startWatchdog(emergency: { mailbox.postEmergency() })
            }
        } catch {
            logger.error("cannot start the event loop: \(error)")
            return 1
        }
        if let asgi {
            logger.info("worker \(id) ready (pid \(Posix.processID), ASGI on \(asgi.loopName))")
            let loopThread = WorkerSupport.startThread {
                loop.run()
                asgi.service.inbox.stop()
            }
            asgi.serve(logger: logger)
            loopThread.join()
            slot.markStopped()
            exitHandlers.run()
            logger.info("worker \(id) stopped (pid \(Posix.processID))")
            return 0
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
                let got = (try? byte.withUnsafeMutableBytes { try Posix.read(WorkerContract.lifelineFD, into: $0) }) ?? 0
                if got <= 0 || byte[0] == UInt8(ascii: "q") {
                    state.stop()
                    return
                }
            }
        }
    }
}

/// What `Worker.serve` needs: a worker whose app is loaded, by itself (`Worker.run`) or by the
/// preloader it was forked from. `environment` gives `LIEGE_SOCKETS` and `LIEGE_HOLD`.
struct LoadedWorker {
    var id: Int
    var config: Config
    var logger: Logger
    var options: ServingOptions
    var apps: AppLoader
    var environment: [String: String]
}
