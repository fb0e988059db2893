import LiegeConfig
import LiegeSystem

/// The master process of one app: binds, spawns and supervises the workers (SPEC.md §4, §5).
public enum Master {
    /// Runs the master for `config` until it stops; returns the exit status (SPEC.md §0).
    public static func run(config: Config) -> Int32 {
        let facts = ProcessFacts.current
        if let status = Daemonizer.detachIfAsked(config, facts: facts) { return status }
        if let mask = config[.umask] { Posix.setFileModeMask(mask) }
        // Before any thread exists, so every thread inherits the mask (PLATFORM.md §3).
        SignalSources.block(Arbiter.handledSignals)
        Posix.ignoreBrokenPipe()
        ProcessTitle.set(ProcessTitles(config).master(name: config.name))
        let settings = MasterSettings(config)
        let log = Logger(name: config.name)
        let fanout: LogFanout?
        do {
            fanout = try MasterLoggers.start(config)
        } catch {
            log.error("cannot open logger: \(error)")
            return 1
        }
        defer { fanout?.finish() }
        if config[.showConfig] {
            log.info("configuration:\n" + PrintedConfig.render(config) + "end of configuration")
        }
        let hooks = HookPlan(config, environment: facts.environment)
        if let failure = hooks.run(.asap, log: log) {
            log.error(failure)
            return 1
        }
        let resources: MasterResources
        do {
            resources = try MasterResources.open(settings, hooks: hooks, log: log)
        } catch {
            log.error(error.message)
            return 1
        }
        if let failure = hooks.run(.masterStart, log: log) ?? hooks.run(.preApp, log: log) {
            log.error(failure)
            resources.close(vacuum: true)
            return 1
        }
        if let failure = SpoolerSupervisor.prepareDirectories(UwsgiAPISettings(config).spooler,
                                                                 workingDirectory: facts.workingDirectory) {
            log.error(failure)
            resources.close(vacuum: true)
            return 1
        }
        let first: Generation
        do {
            let sockets = try resources.sockets.sockets(for: settings, log: log)
            first = try Generation(number: 0, config: config, settings: settings, sockets: sockets,
                                   baseEnvironment: facts.environment)
        } catch {
            log.error("cannot set up shared memory: \(error)")
            resources.close(vacuum: true)
            return 1
        }
        EmperorLink.attach(sockets: first.sockets.map { ($0.key.protocolName, $0.socket.fd) }, scoreboard: first.scoreboard,
                           log: log)
        let pump = LogPump(policy: Arbiter.logPolicy(settings))
        if let fanout { pump.reopenAlso { fanout.reopen() } }
        let arbiter = Arbiter(first: first, resources: resources, pump: pump, log: log, facts: facts)
        let stats: StatsService
        do {
            stats = try StatsService.start(settings.statsEndpoints, name: config.name, source: arbiter, log: log)
        } catch {
            log.error(error.message)
            for generation in arbiter.generations { generation.close() }
            resources.close(vacuum: true)
            return 1
        }
        arbiter.stats = stats
        let postApp = PostAppHooks.watch(hooks, scoreboard: first.scoreboard, log: log)
        let status = arbiter.run()
        postApp?.stop()
        stats.stop()
        pump.drain()
        for generation in arbiter.generations {
            generation.shared.sync()
            generation.close()
        }
        resources.close(vacuum: arbiter.settings.vacuum || status != 0)
        if let failure = hooks.run(.atExit, log: log) { log.error(failure) }
        log.info("master exiting with status \(status)")
        return status
    }
}
