import LiegeConfig

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
    var chmodSocket: String?
    var chownSocket: String?
    var pidfile: String?
    var logto: String?
    /// `logger` is set: the loggers own fds 1 and 2 (MasterLoggers), and reopen with the log.
    var hasLoggers: Bool
    var environment: [String]
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
        func int(_ option: String, _ fallback: Int) -> Int { config.isSet(option) ? config.int(option) : fallback }
        func path(_ option: String) -> String? { config.string(option).flatMap { $0.isEmpty ? nil : $0 } }
        name = config.name
        processes = max(1, int("processes", 1))
        listeners = config.list("socket").map { Listener(protocolName: "uwsgi", address: $0) }
            + config.list("http-socket").map { Listener(protocolName: "http", address: $0) }
        listenBacklog = int("listen", 1024)
        chmodSocket = config.isSet("chmod-socket") ? config.string("chmod-socket") ?? "" : nil
        chownSocket = path("chown-socket")
        pidfile = path("pidfile")
        // `daemonize` logs to its file as `logto` does, `daemonize2` as `logto2` (so reopen and rotation work).
        // With `logger` the loggers own fds 1 and 2 (`logto`, `logto2` become file loggers, MasterLoggers).
        hasLoggers = config.isSet("logger")
        logto = hasLoggers ? nil : path("logto") ?? path("daemonize")
        environment = config.list("env")
        unenvironment = config.list("unenv")
        needApp = config.isSet("need-app") ? config.bool("need-app") : true
        preload = config.isSet("lazy-apps") && !config.bool("lazy-apps")
        minWorkerLifetime = int("min-worker-lifetime", 10)
        reloadMercy = int("reload-mercy", 60)
        workerReloadMercy = int("worker-reload-mercy", 60)
        drainDelay = config.seconds("drain-delay")   // unset: the registry's default (0)
        vacuum = config.bool("vacuum")
        harakiri = int("harakiri", 0)
        threads = max(1, int("threads", 1))
        evilReloadOnRSSMB = int("evil-reload-on-rss", 0)
        maxWorkerLifetime = int("max-worker-lifetime", 0)
        touchReload = config.list("touch-reload")
        touchChainReload = config.list("touch-chain-reload")
        touchWorkersReload = config.list("touch-workers-reload")
        touchLogReopen = config.list("touch-logreopen")
        masterFifo = config.list("master-fifo").first.flatMap { $0.isEmpty ? nil : $0 } ?? path("master-fifo")
        pidfile2 = path("pidfile2")
        uid = path("uid")
        gid = path("gid")
        logto2 = hasLoggers ? nil : path("logto2") ?? path("daemonize2")
        logDate = config.isSet("logdate") ? path("logdate").flatMap { ["false", "no", "off", "0"].contains($0) ? nil : $0 } : nil
        logMaxSize = int("log-maxsize", 0)
        logBackupName = path("log-backupname")
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

    /// `chmod-socket`: bare (or `true`) = 666, else exactly three octal digits; nil when invalid.
    static func socketMode(_ text: String) -> Int? {
        if text.isEmpty || text == "true" { return 0o666 }
        guard text.count == 3, text.allSatisfy({ ("0"..."7").contains($0) }) else { return nil }
        return Int(text, radix: 8)
    }

    /// The workers' environment: ours, then each `env` (`KEY=value`, or bare `KEY` = empty), then
    /// `unenv` names removed, then `LIEGE_SOCKETS`.
    func workerEnvironment(base: [String: String]) -> [String: String] {
        var result = base
        for entry in environment {
            if let eq = entry.firstIndex(of: "=") {
                result[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
            } else {
                result[entry] = ""
            }
        }
        for name in unenvironment { result[name] = nil }
        result["LIEGE_SOCKETS"] = listeners.map(\.protocolName).joined(separator: ",")
        return result
    }
}
