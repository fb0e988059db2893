import LiegeConfig
import LiegeSystem

// PLACEHOLDER BODY, replaced by the master work: signature is the contract.
/// The master process of one app.
public enum Master {
    /// Runs the master for `config` until it stops; returns the exit status (SPEC.md §0).
    public static func run(config: Config) -> Int32 {
        Logger(name: config.name).error("master not built yet")
        return 1
    }
}
