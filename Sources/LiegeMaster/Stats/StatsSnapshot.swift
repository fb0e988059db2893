import LiegeSystem

/// Everything the stats JSON and `/metrics` show, taken at one moment: the master's state, every scoreboard
/// slot, the listen queues from the kernel. Rendering it is pure code (`StatsDocument`, `MasterMetrics`).
struct StatsSnapshot: Sendable {
    struct Socket: Sendable, Equatable {
        var name: String
        /// `uwsgi` or `http`.
        var proto: String
        var queue: Int
        var maxQueue: Int
    }

    struct Worker: Sendable, Equatable {
        var id: Int
        var pid: Int32
        var status: WorkerStatus
        /// Responses this slot served since the master started (all its processes).
        var requests: Int
        /// Responses of the current process.
        var processRequests: Int
        var exceptions: Int
        var harakiriCount: Int
        var rssBytes: Int
        var vszBytes: Int
        /// Unix seconds of the current process's spawn; 0 for an empty slot.
        var lastSpawn: Int
        var respawns: Int
        var bytesSent: Int
        var durationSumMicros: Int64
        /// By status class, 1xx first.
        var responsesByClass: [Int]
        /// Per duration bucket (not cumulative), +Inf last.
        var durationBuckets: [Int]
        /// The master is paused (fifo `p`): its workers stop accepting and leave.
        var paused = false

        /// uWSGI's `status`: busy, pause (master paused), idle, or cheap (an empty slot).
        var statsStatus: String {
            if paused, status != .busy { return "pause" }
            switch status {
            case .empty: return "cheap"
            case .busy: return "busy"
            case .starting, .ready, .stopping: return "idle"
            }
        }

        var accepting: Bool { status == .ready || status == .busy }

        /// Mean response time (µs).
        var averageResponseMicros: Int {
            requests > 0 ? Int(durationSumMicros / Int64(requests)) : 0
        }
    }

    var version: String
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
    var cwd: String
    var mode: MasterState.Mode
    var sockets: [Socket]
    var workers: [Worker]
    var daemons: [MasterState.Daemon]?
    var crons: [MasterState.Cron]?
    var spoolers: [MasterState.Spooler]? = nil
    var caches: [MasterState.Cache]? = nil
    /// Every response since the master started, all slots (including slots a reload to fewer processes removed).
    var totals: ResponseCounters

    var listenQueue: Int { sockets.reduce(0) { $0 + $1.queue } }
    var busyWorkers: Int { workers.filter { $0.status == .busy }.count }
    var idleWorkers: Int { workers.filter { $0.status == .ready }.count }
}

extension StatsSnapshot {
    /// Reads the scoreboards, the kernel and `/proc` for what `state` names (called per stats request).
    static func take(state: MasterState, version: String, cwd: String) -> StatsSnapshot {
        let wallNow = wallClockMicroseconds()
        let monotonicNow = monotonicMicroseconds()
        let identity = Posix.effectiveUser
        let workers = state.workers.map { record -> Worker in
            let counters = state.counters[record.id] ?? ResponseCounters()
            let slot = record.pid > 0 ? record.slot : nil
            let memory = slot == nil ? nil : ProcessMemory.of(record.pid)
            let spawned = (slot?.spawnedMicros ?? 0) > 0 ? Int((wallNow - (monotonicNow - (slot?.spawnedMicros ?? 0))) / 1_000_000) : 0
            return Worker(
                id: record.id, pid: record.pid, status: slot?.status ?? .empty, requests: counters.responses,
                processRequests: slot?.requests ?? 0, exceptions: slot?.exceptions ?? 0, harakiriCount: record.harakiriCount,
                rssBytes: memory?.residentBytes ?? (slot?.rssKB ?? 0) * 1024, vszBytes: memory?.virtualBytes ?? 0,
                lastSpawn: spawned, respawns: slot?.respawns ?? 0, bytesSent: counters.bytesSent,
                durationSumMicros: counters.durationSumMicros, responsesByClass: counters.byStatusClass,
                durationBuckets: counters.durationBuckets, paused: state.paused)
        }
        let socketStats = state.sockets.map { entry -> Socket in
            let depth = ListenQueue.depth(of: entry.socket.fd)
            return Socket(name: entry.socket.localAddressDescription, proto: entry.proto,
                          queue: depth?.waiting ?? 0, maxQueue: depth?.limit ?? entry.socket.backlog)
        }
        var snapshot = StatsSnapshot(
            version: version, pid: Posix.processID, uid: identity.uid, gid: identity.gid, cwd: cwd, mode: state.mode,
            sockets: socketStats, workers: workers, daemons: state.daemons, crons: state.crons,
            totals: state.counters.values.reduce(ResponseCounters(), +))
        snapshot.spoolers = state.spoolers
        snapshot.caches = state.caches
        return snapshot
    }
}
