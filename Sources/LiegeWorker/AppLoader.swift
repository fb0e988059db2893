import LiegeConfig
import LiegePython
import LiegeSystem
import Synchronization

/// Starts the interpreter and imports the app. With `need-app = false` a failed import is retried in
/// the background with back-off while requests get a quick 503.
final class AppLoader: AppProvider, Sendable {
    enum StartResult {
        case loaded
        case retrying
        case fatal
    }

    private let loaded = Mutex<WSGIApplication?>(nil)
    private let loadedASGI = Mutex<ASGIApplication?>(nil)
    /// `asgi`: the worker serves an ASGI app (on an asyncio loop) instead of a WSGI one.
    let asgi: String?
    private let module: String?
    private let wsgiFile: String?
    private let callable: String
    private let settings: PythonSettings
    private let logger: Logger

    init(config: Config, workingDirectory: String, logger: Logger) {
        module = config.string("module")
        asgi = config.string("asgi")
        wsgiFile = config.string("wsgi-file")
        callable = config.string("callable") ?? "application"
        settings = PythonSettings(
            virtualenv: config.string("virtualenv"), pythonpath: config.list("pythonpath"),
            workingDirectory: workingDirectory, programName: "/usr/bin/python3", threads: max(1, config.int("threads")))
        self.logger = logger
    }

    var application: WSGIApplication? {
        loaded.withLock { $0 }
    }

    var asgiApplication: ASGIApplication? {
        loadedASGI.withLock { $0 }
    }

    private var hasApp: Bool { module != nil || wsgiFile != nil || asgi != nil }

    /// Initialises Python and imports the app on the main thread, then releases the GIL.
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
                logger.error("no app to load: set `module`, `wsgi-file` or `asgi` (or `need-app = false`)")
                return .fatal
            }
            logger.info("no app configured (need-app = false): every request gets 503")
            return .retrying
        }
        let first = attempt()
        PythonRuntime.releaseMainThread()
        if first { return .loaded }
        if needApp {
            logger.error("app could not be loaded (need-app is on): worker exits")
            return .fatal
        }
        if asgi != nil {
            // The worker's serving mode (asyncio loop or app threads) is chosen once the app is there.
            logger.error("ASGI app could not be loaded: worker exits (need-app = false applies to WSGI apps only)")
            return .fatal
        }
        retryInBackground()
        return .retrying
    }

    /// The preloader's load (`lazy-apps = false`): Python started, the collector off, the app imported on
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
            logger.error("no app to preload: set `module`, `wsgi-file` or `asgi`")
            return false
        }
        return attempt()
    }

    private func attempt() -> Bool {
        if let asgi {
            do {
                let app = try ASGIApplication.load(asgi, callable: callable)
                loadedASGI.withLock { $0 = app }
                logger.info("ASGI app loaded: \(app.label)")
                return true
            } catch {
                logger.error("ASGI app could not be loaded: \(error.message)\n\(error.traceback)")
                return false
            }
        }
        do {
            let app = try WSGIApplication.load(module: module, wsgiFile: wsgiFile, callable: callable)
            loaded.withLock { $0 = app }
            logger.info("app loaded: \(module ?? wsgiFile ?? "")")
            return true
        } catch {
            logger.error("app could not be loaded: \(error.message)\n\(error.traceback)")
            return false
        }
    }

    /// need-app = false: retry the import with back-off (1 s doubling to 30 s) while serving 503s.
    private func retryInBackground() {
        _ = WorkerSupport.startThread { [self] in
            var delay = 1
            while application == nil {
                logger.info("retrying the app import in \(delay)s")
                sleepSeconds(delay)
                if attempt() { return }
                delay = min(delay * 2, 30)
            }
        }
    }
}
