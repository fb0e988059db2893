import LiegeConfig
import LiegeSystem

/// The options the master acts on, read once from the config with their SPEC.md §13 defaults.
struct MasterSettings: Sendable {
    /// A configured listener: protocol name for `LIEGE_SOCKETS` and the address text.
    struct Listener: Sendable, Equatable {
        var protocolName: String
        var address: String
    }

    var name: String
    var processes: Int
    var listeners: [Listener]
    var listenBacklog: Int
    /// `chmod-socket` as a mode (0o666 when given bare).
    var chmodSocket: Int?
    var chownSocket: String?
    var pidfile: String?
    var logto: String?
    /// `logger` is set: the loggers own fds 1 and 2 (MasterLoggers), and reopen with the log.
    var hasLoggers: Bool
    var environment: [KeyValue]
    var unenvironment: [String]
    var needApp: Bool
    /// `lazy-apps = false`: a preloader imports the app and the workers are forked from it.
    var preload: Bool
    var minWorkerLifetime: Int
    var reloadMercy: Int
    var workerReloadMercy: Int
    /// `drain-delay`: seconds a graceful stop keeps serving with readiness failing before it starts.
    var drainDelay: Int
    var vacuum: Bool
    var harakiri: Int
    var threads: Int
    /// An ASGI app: one asyncio loop serves many requests at once, so a request's age says nothing about
    /// a wedged worker (its own watchdog looks for a blocked loop instead).
    var servesASGI: Bool
    var evilReloadOnRSSMB: Int
    var maxWorkerLifetime: Int
    var touchReload: [String]
    var touchChainReload: [String]
    var touchWorkersReload: [String]
    var touchLogReopen: [String]
    var masterFifo: String?
    var pidfile2: String?
    var uid: String?
    var gid: String?
    var logto2: String?
    var logDate: String?
    var logMaxSize: Int
    var logBackupName: String?
    /// cheap, idle, cheaper (SPEC.md §8).
    var scaling: ScalingSettings
    /// `stats` and `metrics` (SPEC.md §7).
    var statsEndpoints: [StatsEndpoint]

    init(_ config: Config) {
        name = config.name
        processes = max(1, config[.processes])
        listeners = config[.uwsgiSockets].map { Listener(protocolName: "uwsgi", address: $0) }
            + config[.httpSockets].map { Listener(protocolName: "http", address: $0) }
        listenBacklog = config[.listen]
        chmodSocket = config[.chmodSocket]
        chownSocket = config[.chownSocket]
        pidfile = config[.pidfile]
        // `daemonize` logs to its file as `logto` does, `daemonize2` as `logto2` (so reopen and rotation work).
        // With `logger` the loggers own fds 1 and 2 (`logto`, `logto2` become file loggers, MasterLoggers).
        hasLoggers = config.isSet(.logger)
        logto = hasLoggers ? nil : config[.logto] ?? config[.daemonize]
        environment = config[.env]
        unenvironment = config[.unenv]
        needApp = config[.needApp]
        preload = !config[.lazyApps]
        minWorkerLifetime = config[.minWorkerLifetime]
        reloadMercy = config[.reloadMercy]
        workerReloadMercy = config[.workerReloadMercy]
        drainDelay = config[.drainDelay]
        vacuum = config[.vacuum]
        harakiri = config[.harakiri]
        threads = max(1, config[.threads])
        servesASGI = config[.asgi] != nil
        evilReloadOnRSSMB = config[.evilReloadOnRSS]
        maxWorkerLifetime = config[.maxWorkerLifetime]
        touchReload = config[.touchReload]
        touchChainReload = config[.touchChainReload]
        touchWorkersReload = config[.touchWorkersReload]
        touchLogReopen = config[.touchLogReopen]
        masterFifo = config[.masterFifos].first
        pidfile2 = config[.pidfile2]
        uid = config[.uid]
        gid = config[.gid]
        logto2 = hasLoggers ? nil : config[.logto2] ?? config[.daemonize2]
        logDate = config[.logDate].flatMap { $0.isEmpty ? nil : $0 }
        logMaxSize = config[.logMaxSize]
        logBackupName = config[.logBackupName]
        scaling = ScalingSettings(config)
        statsEndpoints = StatsEndpoint.configured(in: config)
    }

    /// The log file the master writes to once running (`logto2` wins over `logto`).
    var logFile: String? { logto2 ?? logto }

    /// Something the master checks on the clock for this config's workers: the harakiri backstop,
    /// `evil-reload-on-rss`, `max-worker-lifetime`, or the worker count following the load.
    var needsWorkerChecks: Bool {
        harakiri > 0 || evilReloadOnRSSMB > 0 || maxWorkerLifetime > 0
            || scaling.cheap || scaling.idleSeconds > 0 || scaling.isAdaptive
    }

    /// The workers' environment: ours, then each `env` (`KEY=value`), then `unenv` names removed, then
    /// `LIEGE_SOCKETS`.
    func workerEnvironment(base: [String: String]) -> [String: String] {
        var result = base
        for entry in environment { result[entry.key] = entry.value }
        for name in unenvironment { result[name] = nil }
        result[WorkerContract.socketsVariable] = listeners.map(\.protocolName).joined(separator: ",")
        return result
    }
}
