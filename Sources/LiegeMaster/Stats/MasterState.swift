import LiegeSystem

/// What the master's loop knows beyond one scoreboard, for the stats server and `/metrics`: taken on the
/// arbiter's queue by `MasterStateSource.masterState()`, then rendered elsewhere.
struct MasterState: Sendable {
    /// SPEC.md §7 `mode`.
    enum Mode: String, Sendable {
        case normal, cheap, reloading, stopping
    }

    /// One worker slot of the current config, and the process shown for it.
    struct Worker: Sendable {
        var id: Int
        /// 0 while the slot is empty.
        var pid: Int32
        /// The process's scoreboard slot (its generation's scoreboard); nil for an empty slot.
        var slot: ScoreboardSlot?
        /// Requests of this slot aborted by harakiri since the master started.
        var harakiriCount = 0
    }

    /// An attached daemon (SPEC.md §9).
    struct Daemon: Sendable, Equatable {
        var command: String
        var pid: Int32
        var respawns: Int
    }

    /// A cron job (SPEC.md §10), fields in uWSGI's numbers (-1 = any).
    struct Cron: Sendable, Equatable {
        var minute = -1, hour = -1, day = -1, month = -1, week = -1
        var command: String
        var unique: Bool
        var pid: Int32
    }

    /// A spooler process (uWSGI's `spoolers` entries).
    struct Spooler: Sendable, Equatable {
        var directory: String
        var pid: Int32
        var respawns: Int
    }

    /// A `cache2` cache (uWSGI's `caches` entries).
    struct Cache: Sendable, Equatable {
        var name: String
        var items: Int
        var maxItems: Int
        var blockSize: Int
        var keySize: Int
    }

    var mode: Mode
    /// fifo `p`: workers stop accepting until `p` again.
    var paused = false
    var workers: [Worker]
    /// Per slot id, every response since the master started: live scoreboards plus retired generations.
    var counters: [Int: ResponseCounters]
    /// The current listening sockets, in fd order.
    var sockets: [(proto: String, socket: ListeningSocket)]
    /// nil when no daemon is configured (then the JSON has no `daemons` key).
    var daemons: [Daemon]? = nil
    /// nil when no cron job is configured.
    var crons: [Cron]? = nil
    /// nil when no spooler is configured.
    var spoolers: [Spooler]? = nil
    /// nil when no cache is configured.
    var caches: [Cache]? = nil
}

/// The master's loop, as the stats server and `/metrics` see it. `masterState()` is called from their
/// queue and must hop onto the loop's own queue to read its state.
protocol MasterStateSource: AnyObject, Sendable {
    func masterState() -> MasterState
    /// `GET /ready` on the metrics listener (Metrics/Readiness.swift).
    func readiness() -> Readiness
}

/// What the master remembers for stats beyond the live scoreboards: harakiri kills per slot, and the
/// response counters of generations (scoreboards) a reload retired, so Prometheus counters never drop.
struct StatsLedger {
    private(set) var harakiriCounts: [Int: Int] = [:]
    private(set) var retired: [Int: ResponseCounters] = [:]

    mutating func harakiri(slot id: Int) {
        harakiriCounts[id, default: 0] += 1
    }

    /// Before a generation's scoreboard is closed.
    mutating func retire(_ scoreboard: Scoreboard) {
        for id in 1...scoreboard.slotCount {
            retired[id] = (retired[id] ?? ResponseCounters()) + ResponseCounters(scoreboard[id])
        }
    }

    /// Retired counters plus those of `live` scoreboards, per slot id.
    func counters(adding live: [Scoreboard]) -> [Int: ResponseCounters] {
        var result = retired
        for scoreboard in live {
            for id in 1...scoreboard.slotCount {
                result[id] = (result[id] ?? ResponseCounters()) + ResponseCounters(scoreboard[id])
            }
        }
        return result
    }
}
