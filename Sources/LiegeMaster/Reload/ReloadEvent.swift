import LiegeSystem

/// What the reload planner reads about one live worker (from `WorkerTable` and its scoreboard slot).
struct WorkerView: Equatable, Sendable {
    var id: Int
    var pid: Int32
    /// The number of the generation it was started from.
    var generation: Int
    /// Reported ready (or busy) in its slot: its app is loaded.
    var ready: Bool
    /// A request in flight.
    var busy: Bool
    var held: Bool
    var stopping: Bool
}

/// A new generation the master built for a reload (after `ReloadAction.prepare`).
struct NewGeneration: Equatable, Sendable {
    var number: Int
    var kind: ReloadKind
    /// Its `processes`.
    var processes: Int
    /// Its `worker-reload-mercy`: how long old workers may finish, and the import check may take.
    var mercySeconds: Int
    var check: ImportCheck
}

/// How a new generation's app is checked before any old worker is touched (SPEC.md §5.1).
enum ImportCheck: Equatable, Sendable {
    /// Not at all: a brutal reload, or a workers/chain reload that forks from the current preloader.
    case none
    /// One held worker imports it (the planner picks the slot).
    case worker
    /// The generation's new preloader (`lazy-apps = false`), this process, imports it.
    case preloader(pid: Int32)
}

/// What the planner hears.
enum ReloadEvent: Equatable, Sendable {
    /// SIGHUP, a FIFO command, a touch file.
    case requested(ReloadKind)
    /// The answer to `.prepare`: the generation is built.
    case prepared(NewGeneration)
    /// The answer to `.prepare`: it could not be (an invalid config, a socket that cannot be bound; logged).
    case prepareFailed
    /// The answer to `.stageWorker`: the held worker's pid, or nil when it could not be started.
    case staged(pid: Int32?)
    /// A preloader imported the app (it reported ready, or refused to fork: the import worked either way).
    case preloaderImported(pid: Int32)
    /// A worker or a preloader ended.
    case exited(pid: Int32, status: String)
    /// The master looks again: readiness in the scoreboard, chain steps, deadlines.
    case look
    /// The master stops: the reload in progress and any pending one are dropped.
    case shutdown
}

/// What the planner decides; the arbiter carries it out in order.
enum ReloadAction: Equatable, Sendable {
    /// Re-read the config if the kind says so and build a generation; answer `.prepared` or `.prepareFailed`.
    case prepare(ReloadKind)
    /// Start the import check's held worker in `slot` of `generation`; answer `.staged`.
    case stageWorker(slot: Int, generation: Int)
    /// Slots are filled from `generation` from now on (its config's master set-up applies).
    case commit(generation: Int, kind: ReloadKind)
    /// Ask worker `pid` to stop (an immediate plan overtakes a graceful one already under way).
    case stop(pid: Int32, plan: StopPlan, reason: StopReason)
    /// A chain step: start slot `slot`'s new worker, held until its old one is gone.
    case startHeld(slot: Int, generation: Int)
    /// SIGKILL the import check's preloader (it took too long).
    case killPreloader(pid: Int32)
    /// The reload is dropped; `generation` (when one was built) is not used. `reason` nil: no log line.
    case abort(generation: Int?, reason: String?)
    /// A line for the log.
    case note(String)
}
