import LiegeSystem

/// The master's own record of one worker slot (the scoreboard holds what the worker reports).
struct WorkerRecord {
    /// Slot id, 1...processes.
    let id: Int
    /// The running process (also its process group id); nil while the slot is empty.
    var pid: Int32?
    /// Write end of the worker's lifeline pipe (fd 5 in the worker); -1 when none.
    var lifeline: Int32 = -1
    /// When the current process was spawned (monotonic µs).
    var spawnedAt: Int64 = 0
    /// Config generation (reload count) the current process runs.
    var generation = 0
    /// Processes spawned for this slot so far.
    var spawns = 0
    /// Consecutive deaths within `min-worker-lifetime` of spawn.
    var quickDeaths = 0
    /// An empty slot is refilled no earlier than this (monotonic µs; back-off).
    var respawnNotBefore: Int64 = 0
    /// Set while the master is stopping this process.
    var stop: StopProgress?

    init(id: Int) {
        self.id = id
    }

    var isAlive: Bool { pid != nil }
}
