import LiegeSystem

/// The master's record of one live worker process (the scoreboard holds what the worker reports). Its
/// changing fields (hold, stop plan, reason) are written by `WorkerTable` only.
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
    fileprivate(set) var held: Bool
    /// Set while the master is stopping this process.
    fileprivate(set) var stop: StopProgress?
    /// Why the master stops it (for the log line when it is gone).
    fileprivate(set) var stopReason: StopReason?

    init(id: Int, pid: Int32, lifeline: Int32, generation: Generation, spawnedAt: Int64, held: Bool) {
        self.id = id
        self.pid = pid
        self.lifeline = lifeline
        self.generation = generation
        self.spawnedAt = spawnedAt
        self.held = held
    }

    var slot: ScoreboardSlot { generation.scoreboard[id] }
    var isStopping: Bool { stop != nil }

    /// What the reload planner reads about it.
    var view: WorkerView {
        let status = slot.status
        return WorkerView(id: id, pid: pid, generation: generation.number, ready: status == .ready || status == .busy,
                          busy: slot.requestStartMicros > 0, held: held, stopping: isStopping)
    }
}

/// Every live worker, and the one place that changes their state: added when started, removed when
/// reaped, asked to stop (a `StopPlan` and a `StopReason`), released from a hold, walked through its
/// stop plan. Everything else reads it.
struct WorkerTable: Sequence {
    private var records: [WorkerRecord] = []

    func makeIterator() -> IndexingIterator<[WorkerRecord]> { records.makeIterator() }
    var isEmpty: Bool { records.isEmpty }
    var count: Int { records.count }
    func record(pid: Int32) -> WorkerRecord? { records.first { $0.pid == pid } }
    var views: [WorkerView] { records.map(\.view) }

    mutating func add(_ record: WorkerRecord) {
        records.append(record)
    }

    /// The reaped worker `pid`, no longer in the table (nil when it is not a worker).
    mutating func remove(pid: Int32) -> WorkerRecord? {
        guard let index = records.firstIndex(where: { $0.pid == pid }) else { return nil }
        return records.remove(at: index)
    }

    /// Asks worker `pid` to stop by `plan` for `reason`, unless it is stopping already (an immediate plan
    /// overtakes a graceful one under way).
    mutating func stop(pid: Int32, plan: StopPlan, reason: StopReason) {
        stop(where: { $0.pid == pid }, plan: plan, reason: reason, replacing: plan == .immediate)
    }

    /// Asks every matching worker to stop by `plan` for `reason`. A worker already stopping keeps its plan,
    /// unless `replacing` (an immediate stop overtakes a graceful one); `reason` nil keeps the reason it has.
    mutating func stop(where matches: (WorkerRecord) -> Bool, plan: StopPlan, reason: StopReason?, replacing: Bool = false) {
        for index in records.indices where matches(records[index]) && (replacing || records[index].stop == nil) {
            records[index].stop = StopProgress(plan: plan)
            if let reason { records[index].stopReason = reason }
        }
    }

    /// Lets held worker `pid` accept: `g` on its lifeline (false when it died meanwhile: reaped soon).
    mutating func release(pid: Int32) -> Bool {
        guard let index = records.firstIndex(where: { $0.pid == pid }) else { return false }
        records[index].held = false
        return (try? Posix.writeAll(records[index].lifeline, "g")) != nil
    }

    /// Walks each stopping worker through its plan at `now`: the steps to carry out, per worker, in order.
    mutating func advanceStops(now: Int64) -> [(worker: WorkerRecord, step: StopPlan.Step)] {
        var due: [(worker: WorkerRecord, step: StopPlan.Step)] = []
        for index in records.indices {
            guard var progress = records[index].stop else { continue }
            for step in progress.advance(now: now) { due.append((records[index], step)) }
            records[index].stop = progress
        }
        return due
    }

    /// The ends of the stop plans' waits.
    var stopDeadlines: [Int64] { records.compactMap { $0.stop?.deadline } }
}
