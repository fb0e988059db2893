import LiegeConfig
import LiegeSystem

/// The hooks of each start-up phase (uWSGI's `hook-PHASE` and `exec-PHASE`, in config order) and how
/// the master runs them: shell commands with the master's environment plus `env`, in `chdir`, output
/// to the log.
struct HookPlan: Sendable {
    typealias Phase = HookPhase

    var hooks: [Phase: [HookLine]] = [:]
    var environment: [String: String] = [:]
    var directory: String?

    init() {}

    init(_ config: Config, environment base: [String: String]) {
        for phase in Phase.allCases {
            // hook-PHASE and exec-PHASE entries keep their relative order.
            let lines = config.inOrder(Option.hooks(phase))
            if !lines.isEmpty { hooks[phase] = lines }
        }
        // The emperor's hand-over variables are the master's alone.
        var environment = base.filter { !$0.key.hasPrefix(WorkerContract.emperorVariablePrefix) }
        for pair in config[.env] { environment[pair.key] = pair.value }
        for name in config[.unenv] { environment[name] = nil }
        self.environment = environment
        directory = config[.chdir]
    }

    /// Runs the hooks of `phase` in order; the message of the first that failed, nil when all ran.
    func run(_ phase: Phase, log: Logger) -> String? {
        for hook in hooks[phase] ?? [] {
            switch hook {
            case .exec(let command):
                log.info("hook \(phase.rawValue): running \"\(command)\"")
                let shell = directory.map { "cd '\($0.replacing("'", with: "'\\''"))' && \(command)" } ?? command
                // post-app runs while the supervision loop reaps every child: the status comes over a pipe.
                let status = phase == .postApp ? ShellCommand.runReportingStatus(shell, environment: environment)
                    : ShellCommand.run(shell, environment: environment)
                guard let status else {
                    return "hook \(phase.rawValue): cannot run \"\(command)\""
                }
                guard status == .exited(0) else { return "hook \(phase.rawValue): \"\(command)\" \(status)" }
            case .call(let function, let argument):
                log.info("hook \(phase.rawValue): calling \(function)")
                guard Posix.callFunction(named: function, argument: argument) else {
                    return "hook \(phase.rawValue): no function \"\(function)\" in this process"
                }
            case .print(let text):
                log.info(text)
            case .alreadyDefault:
                continue
            }
        }
        return nil
    }
}
