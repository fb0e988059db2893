import LiegeConfig
import LiegeSystem

/// The master process of one app: binds, spawns and supervises the workers (SPEC.md §4, §5).
public enum Master {
    /// Runs the master for `config` until it stops; returns the exit status (SPEC.md §0).
    public static func run(config: Config) -> Int32 {
        // Before any thread exists, so every thread inherits the mask (PLATFORM.md §3).
        SignalSources.block(Arbiter.handledSignals)
        Posix.ignoreBrokenPipe()
        ProcessTitle.set("liege master \(config.name)")
        let settings = MasterSettings(config)
        let log = Logger(name: config.name)
        let resources: MasterResources
        do {
            resources = try MasterResources.open(settings, config: config, log: log)
        } catch {
            log.error(error.message)
            return 1
        }
        guard let scoreboard = resources.scoreboard else {
            resources.close(vacuum: true)
            return 1
        }
        EmperorLink.attach(sockets: resources.sockets.map { ($0.protocolName, $0.socket.fd) }, scoreboard: scoreboard, log: log)
        let environment = settings.workerEnvironment(base: ProcessFacts.current.environment)
        let launcher = WorkerLauncher(
            name: settings.name, environment: Processes.environmentStrings(environment),
            configFD: resources.configFD, scoreboardFD: scoreboard.fd, socketFDs: resources.sockets.map(\.socket.fd))
        let arbiter = Arbiter(settings: settings, scoreboard: scoreboard, launcher: launcher, log: log)
        let stats: StatsService
        do {
            stats = try StatsService.start(config: config, scoreboard: scoreboard,
                                           sockets: resources.sockets.map { ($0.protocolName, $0.socket) }, source: arbiter, log: log)
        } catch {
            log.error(error.message)
            resources.close(vacuum: true)
            return 1
        }
        let status = arbiter.run()
        stats.stop()
        resources.close(vacuum: settings.vacuum || status != 0)
        log.info("master exiting with status \(status)")
        return status
    }
}
