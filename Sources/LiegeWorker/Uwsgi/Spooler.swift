import LiegeConfig
import LiegePython
import LiegeSystem

/// A spooler process: `liege spooler ID NAME`, spawned by the master with fd 3 the config, 4 the scoreboard,
/// 5 its lifeline, then the shared regions, and `LIEGE_SPOOLER_DIR` its directory. It imports the apps (as
/// uWSGI's spooler, forked from a master that loaded it, has it) and each `spooler-import`, then runs the
/// tasks queued in the directory until the master says stop (docs/uwsgi-api.md).
public enum Spooler {
    /// Runs spooler `id`; 0 when told to stop (or recycled after `spooler-max-tasks`), 1 on a failure.
    public static func run(id: Int) -> Int32 {
        Posix.ignoreBrokenPipe()
        guard let config = Worker.readConfig(title: "spooler \(id)") else { return 1 }
        let logger = Logger(name: "\(config.name) spooler \(id)")
        guard let directory = ProcessFacts.current.environment[WorkerContract.spoolerDirectoryVariable] else {
            logger.error("no spooler directory given (LIEGE_SPOOLER_DIR)")
            return 1
        }
        UwsgiSetup.publish(config, role: .spooler(id: id), spoolWatch: SpoolWatch(directory: directory))
        guard Worker.enterDirectory(config, logger: logger) else { return 1 }
        let settings = UwsgiAPISettings(config).spooler
        let app = SpoolerApp(config: config, workingDirectory: ProcessFacts.current.workingDirectory)
        do {
            for warning in try PythonRuntime.initialize(app.python) { logger.info("warning: \(warning)") }
        } catch {
            logger.error("cannot start Python: \(error.message)\n\(error.traceback)")
            return 1
        }
        app.importApps(logger: logger)
        logger.info("spooler \(id) ready (pid \(Posix.processID)) on \(directory)")
        let run = PythonRuntime.SpoolerRun(
            directory: directory, frequencySeconds: settings.frequencySeconds, chdir: settings.chdir, quiet: settings.quiet,
            maxTasks: settings.maxTasks, harakiriSeconds: settings.harakiriSeconds, imports: settings.imports)
        do {
            try PythonRuntime.runSpooler(run)
        } catch {
            logger.error("\(error.message)\n\(error.traceback)")
            return 1
        }
        logger.info("spooler \(id) stopped (pid \(Posix.processID))")
        return 0
    }
}

/// The apps a spooler imports: the worker's interpreter set-up, its `module` or `wsgi-file`, every `mount`
/// and the `asgi` app.
struct SpoolerApp {
    let python: PythonSettings
    let targets: [(module: String?, wsgiFile: String?)]
    let callable: String

    init(config: Config, workingDirectory: String) {
        python = PythonSettings(virtualenv: config[.virtualenv], pythonpath: config[.pythonpath],
                                workingDirectory: workingDirectory, programName: "/usr/bin/python3")
        targets = AppMounts(config: config).apps.map { ($0.module, $0.wsgiFile) }
            + (config[.asgi].map { [($0, nil)] } ?? [])
        callable = config[.callable]
    }

    /// Imports the apps so their `uwsgi.spooler` and decorators are set; a failure is logged and the spooler
    /// goes on (its `spooler-import` modules may be all it needs).
    func importApps(logger: Logger) {
        for target in targets {
            do {
                _ = try WSGIApplication.load(module: target.module, wsgiFile: target.wsgiFile, callable: callable)
            } catch {
                logger.error("the app could not be imported (the spooler runs without it): \(error.message)\n\(error.traceback)")
            }
        }
    }
}
