import LiegeConfig
import LiegeSystem

/// The emperor: watches vassal directories and runs one master per vassal file (SPEC.md §12).
public enum Emperor {
    /// Whether `config` asks for an emperor (`--emperor DIR`).
    public static func handles(_ config: Config) -> Bool {
        config.isSet(.emperor)
    }

    /// Runs the emperor until it is stopped; returns the exit status.
    public static func run(config: Config) -> Int32 {
        SignalSources.block(Governor.handledSignals)
        Posix.ignoreBrokenPipe()
        ProcessTitle.set("liege emperor")
        let facts = ProcessFacts.current
        let settings = EmperorSettings(config, workingDirectory: facts.workingDirectory)
        let log = Logger(name: "emperor")
        if let path = settings.pidfile {
            do {
                try Posix.writePidfile(path, pid: Posix.processID)
            } catch {
                log.error("cannot write emperor-pidfile: \(error)")
                return 1
            }
        }
        return Governor(settings: settings, environment: facts.environment).run()
    }
}
