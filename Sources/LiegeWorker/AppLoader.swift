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
    private let module: String?
    private let wsgiFile: String?
    private let callable: String
    private let settings: PythonSettings
    private let logger: Logger

    init(config: Config, workingDirectory: String, logger: Logger) {
        module = config.string("module")
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
        if module == nil && wsgiFile == nil {
            PythonRuntime.releaseMainThread()
            if needApp {
                logger.error("no app to load: set `module` or `wsgi-file` (or `need-app = false`)")
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
        guard module != nil || wsgiFile != nil else {
            logger.error("no app to preload: set `module` or `wsgi-file`")
            return false
        }
        return attempt()
    }

    private func attempt() -> Bool {
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
