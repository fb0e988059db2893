import LiegeConfig
import LiegeSystem

// PLACEHOLDER BODY, replaced by the worker work: signature is the contract.
/// The worker process: `liege worker ID NAME`, spawned by the master with the descriptors of TEAM.md.
public enum Worker {
    /// Runs worker `id`; returns the exit status (0 stop, 22 app not loadable, 1 other failure).
    public static func run(id: Int) -> Int32 {
        Logger(name: "worker \(id)").error("worker not built yet")
        return 1
    }
}
