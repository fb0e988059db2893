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
        daemons = []
        crons = []
        for entry in config.entries {
            if DaemonLine.options.contains(entry.key),
               case .success(let line) = DaemonLine.parse(option: entry.key, value: entry.value) {
                daemons.append(line)
            }
            let parsed: Result<CronLine, CronSyntaxError>? = switch entry.key {
            case "cron": CronLine.parse(entry.value)
            case "unique-cron": CronLine.parse(entry.value, unique: true)
            case "cron2": CronLine.parseCron2(entry.value)
            default: nil
            }
            if case .success(let line) = parsed { crons.append(line) }
        }
        cronHarakiri = config.int("cron-harakiri")
        stopMercy = config.isSet("reload-mercy") ? config.int("reload-mercy") : 10
        directory = config.string("chdir").flatMap { $0.isEmpty ? nil : $0 }
        uid = config.string("uid")
        gid = config.string("gid")
        var environment = MasterSettings(config).workerEnvironment(base: base)
        environment["LIEGE_SOCKETS"] = nil
        self.environment = Processes.environmentStrings(environment)
    }

    var isEmpty: Bool { daemons.isEmpty && crons.isEmpty }

    var launcher: ShellLauncher {
        ShellLauncher(environment: environment, directory: directory, uid: uid, gid: gid)
    }
}
