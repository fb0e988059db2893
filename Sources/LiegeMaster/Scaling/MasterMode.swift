/// What the master is doing, for its stats (SPEC.md §7 `mode`).
enum MasterMode: String, Sendable, Equatable {
    /// Workers serve (their number may adapt).
    case normal
    /// No worker runs: the master waits for a connection on its sockets.
    case cheap
    /// A reload replaces the workers.
    case reloading
    /// The master is shutting down.
    case stopping
}
