import LiegeConfig
import LiegePython
import LiegeSystem
import Synchronization

/// Starts the interpreter and imports the vassal's apps: the default WSGI one (`module` / `wsgi-file`) and
/// every `mount`, in `AppMounts` order, or the one ASGI app (`asgi`). With `need-app = false` an app whose
/// import failed is retried in the background with back-off while its requests get a quick 503.
final class AppLoader: AppProvider, Sendable {
    enum StartResult {
        case loaded
        case retrying
        case fatal
    }

    private let loaded: Mutex<[WSGIApplication?]>
    /// The ASGI app once imported, and (need-app = false, no app at start) what to do once a retry
    /// imports it: the worker started serving 503s without an asyncio loop, so a fresh worker serves it.
    private let loadedASGI = Mutex<(app: ASGIApplication?, onArrival: (@Sendable () -> Void)?)>((nil, nil))
    let mounts: AppMounts
    /// `asgi`: the worker serves an ASGI app (on an asyncio loop) instead of WSGI ones.
    let asgi: String?
    private let callable: String
    private let settings: PythonSettings
    private let logger: Logger

    init(config: Config, workingDirectory: String, logger: Logger) {
        mounts = AppMounts(config: config)
        loaded = Mutex(Array(repeating: nil, count: mounts.apps.count))
        asgi = config[.asgi]
        callable = config[.callable]
        settings = PythonSettings(
            virtualenv: config[.virtualenv], pythonpath: config[.pythonpath],
            workingDirectory: workingDirectory, programName: "/usr/bin/python3", threads: max(1, config[.threads]),
            fileWrapper: !config[.wsgiDisableFileWrapper])
        self.logger = logger
    }

    func application(_ index: Int) -> WSGIApplication? {
        loaded.withLock { index < $0.count ? $0[index] : nil }
    }

    var asgiApplication: ASGIApplication? {
        loadedASGI.withLock { $0.app }
    }

    private var hasApp: Bool { !mounts.isEmpty || asgi != nil }

    /// Runs `action` once the ASGI app, missing when the worker started, has been imported by a retry
    /// (at once if that already happened). Nothing happens for a WSGI config.
    func whenASGIAppArrives(_ action: @escaping @Sendable () -> Void) {
        guard asgi != nil else { return }
        let now = loadedASGI.withLock { slot -> Bool in
            guard slot.app == nil else { return true }
            slot.onArrival = action
            return false
        }
        if now { action() }
    }

    /// Initialises Python and imports the apps on the main thread, then releases the GIL.
    func loadAtStart(needApp: Bool) -> StartResult {
        do {
            for warning in try PythonRuntime.initialize(settings) {
                logger.info("warning: \(warning)")
            }
        } catch {
            logger.error("cannot start Python: \(error.message)\n\(error.traceback)")
            return .fatal
        }
        if !hasApp {
            PythonRuntime.releaseMainThread()
            if needApp {
                logger.error("no app to load: set `module`, `wsgi-file`, `mount` or `asgi` (or `need-app = false`)")
                return .fatal
            }
            logger.info("no app configured (need-app = false): every request gets 503")
            return .retrying
        }
        let complete = attemptMissing()
        PythonRuntime.releaseMainThread()
        if complete { return .loaded }
        if needApp {
            logger.error("app could not be loaded (need-app is on): worker exits")
            return .fatal
        }
        retryInBackground()
        return .retrying
    }

    /// The preloader's load (`lazy-apps = false`): Python started, the collector off, every app imported on
    /// the main thread, which keeps the GIL (the workers forked from it release it). False when logged.
    func loadForPreload() -> Bool {
        do {
            for warning in try PythonRuntime.initialize(settings) {
                logger.info("warning: \(warning)")
            }
            try PythonRuntime.prepareForPreload()
        } catch {
            logger.error("cannot start Python: \(error.message)\n\(error.traceback)")
            return false
        }
        guard hasApp else {
            logger.error("no app to preload: set `module`, `wsgi-file`, `mount` or `asgi`")
            return false
        }
        return attemptMissing()
    }

    /// Imports every app not loaded yet; true when all are.
    private func attemptMissing() -> Bool {
        if let asgi { return asgiApplication != nil || attemptASGI(asgi) }
        var complete = true
        for (index, app) in mounts.apps.enumerated() where application(index) == nil {
            do {
                let loadedApp = try WSGIApplication.load(module: app.module, wsgiFile: app.wsgiFile, callable: callable)
                loaded.withLock { $0[index] = loadedApp }
                logger.info("app loaded: \(app.label)" + (mounts.hasMounts ? " (mounted at \(app.prefix.isEmpty ? "/" : app.prefix))" : ""))
            } catch {
                logger.error("app could not be loaded: \(app.label): \(error.message)\n\(error.traceback)")
                complete = false
            }
        }
        return complete
    }

    private func attemptASGI(_ target: String) -> Bool {
        do {
            let app = try ASGIApplication.load(target, callable: callable)
            let waiting = loadedASGI.withLock { slot in
                slot.app = app
                return slot.onArrival.take()
            }
            logger.info("ASGI app loaded: \(app.label)")
            waiting?()
            return true
        } catch {
            logger.error("ASGI app could not be loaded: \(error.message)\n\(error.traceback)")
            return false
        }
    }

    /// need-app = false: retry the failed imports with back-off (1 s doubling to 30 s) while serving 503s.
    private func retryInBackground() {
        _ = WorkerSupport.startThread { [self] in
            var delay = 1
            while true {
                logger.info("retrying the app import in \(delay)s")
                sleepSeconds(delay)
                if attemptMissing() { return }
                delay = min(delay * 2, 30)
            }
        }
    }
}
