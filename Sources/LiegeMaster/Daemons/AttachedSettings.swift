import LiegeConfig
import LiegeSystem

/// What the daemon supervisor and the cron scheduler read from the config (SPEC.md §9, §10).
struct AttachedSettings: Sendable {
    /// Every daemon, numbered 1... in config order across the four daemon options.
    var daemons: [DaemonLine]
    /// Every cron job, numbered 1... in config order across `cron`, `unique-cron`, `cron2`.
    var crons: [CronLine]
    /// `cron-harakiri` in seconds (0: none).
    var cronHarakiri: Int
    /// Seconds between the stop signal and SIGKILL: `reload-mercy` when set, else 10 (SPEC.md §9).
    var stopMercy: Int
    var directory: String?
    var uid: String?
    var gid: String?
    /// `KEY=value` strings: the master's environment with `env`/`unenv` applied.
    var environment: [String]

    init(_ config: Config, base: [String: String] = ProcessFacts.current.environment) {
        daemons = config.inOrder([.attachDaemon, .smartAttachDaemon, .smartAttachDaemon2, .attachDaemon2])
        crons = config.inOrder([.cron, .uniqueCron, .cron2])
        cronHarakiri = config[.cronHarakiri]
        stopMercy = config.isSet(.reloadMercy) ? config[.reloadMercy] : Self.defaultStopMercy
        directory = config[.chdir]
        uid = config[.uid]
        gid = config[.gid]
        var environment = MasterSettings(config).workerEnvironment(base: base)
        environment[WorkerContract.socketsVariable] = nil
        self.environment = Processes.environmentStrings(environment)
    }

    /// Seconds a daemon gets to stop when `reload-mercy` is not set (SPEC.md §9; shorter than the workers' default).
    static let defaultStopMercy = 10

    var isEmpty: Bool { daemons.isEmpty && crons.isEmpty }

    var launcher: ShellLauncher {
        ShellLauncher(environment: environment, directory: directory, uid: uid, gid: gid)
    }
}
