import LiegeSystem

/// The master's record of one live worker process (the scoreboard holds what the worker reports).
struct WorkerRecord {
    /// Slot id, 1...processes.
    let id: Int
    /// The process (also its process group id).
    let pid: Int32
    /// Write end of the worker's lifeline pipe (fd 5 in the worker).
    let lifeline: Int32
    /// The config generation it was spawned from.
    let generation: Generation
    /// When it was spawned (monotonic µs).
    let spawnedAt: Int64
    /// Spawned held: loads the app, then waits for `g` on its lifeline before accepting.
    var held: Bool
    /// Set while the master is stopping this process.
    var stop: StopProgress?
    /// Why the master stops it (for the log line when it is gone).
    var stopReason: String?

    var slot: ScoreboardSlot { generation.scoreboard[id] }
}

/// What the master remembers about a slot across its processes: respawn back-off.
struct SlotHistory {
    /// Processes spawned for this slot so far.
    var spawns = 0
    /// Consecutive deaths within `min-worker-lifetime` of spawn.
    var quickDeaths = 0
    /// An empty slot is refilled no earlier than this (monotonic µs).
    var respawnNotBefore: Int64 = 0
}

/// How workers are replaced (SPEC.md §5.1).
enum ReloadKind: Equatable, CustomStringConvertible {
    /// Config re-read, import check, then every worker replaced (SIGHUP, fifo `r`, touch-reload).
    case graceful
    /// The same, with the config as it is (fifo `w`, touch-workers-reload).
    case workers
    /// Like graceful, one worker at a time, the next once the new one accepts (fifo `c`, touch-chain-reload).
    case chain
    /// Kill every worker now and respawn; `rereadConfig` for fifo `R`, not for `W`.
    case brutal(rereadConfig: Bool)

    var rereadsConfig: Bool {
        switch self {
        case .graceful, .chain: return true
        case .workers: return false
        case .brutal(let reread): return reread
        }
    }

    var description: String {
        switch self {
        case .graceful: return "graceful reload"
        case .workers: return "workers reload"
        case .chain: return "chain reload"
        case .brutal(let reread): return reread ? "brutal reload" : "brutal workers reload"
        }
    }
}

/// Where a reload is.
enum ReloadState {
    /// One new worker imports the app (held); nothing else changed yet.
    case staging(kind: ReloadKind, generation: Generation, pid: Int32, since: Int64)
    /// Old workers finish and leave; each slot is refilled as soon as it is free.
    case draining(kind: ReloadKind)
    /// Chain: slots still to replace, and the one in progress.
    case chaining(remaining: [Int], inProgress: Int?)
}
