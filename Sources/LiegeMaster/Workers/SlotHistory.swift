/// What the master remembers about a slot across its processes: respawn back-off.
struct SlotHistory {
    /// Processes spawned for this slot so far.
    var spawns = 0
    /// Consecutive deaths within `min-worker-lifetime` of spawn.
    var quickDeaths = 0
    /// An empty slot is refilled no earlier than this (monotonic µs).
    var respawnNotBefore: Int64 = 0
}
