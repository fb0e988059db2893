/// What the master's loop knows beyond the scoreboard, for the stats server and `/metrics`: taken on the
/// arbiter's queue by `MasterStateSource.masterState()`, then rendered elsewhere.
struct MasterState: Sendable, Equatable {
    /// SPEC.md §7 `mode`.
    enum Mode: String, Sendable {
        case normal, cheap, reloading, stopping
    }

    /// The master's record of one worker slot.
    struct Worker: Sendable, Equatable {
        var id: Int
        /// 0 while the slot is empty.
        var pid: Int32
        /// Requests of this slot aborted by harakiri.
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

    var mode: Mode
    var workers: [Worker]
    /// nil when no daemon is configured (then the JSON has no `daemons` key).
    var daemons: [Daemon]?
    /// nil when no cron job is configured.
    var crons: [Cron]?
}

/// The master's loop, as the stats server and `/metrics` see it. `masterState()` is called from their
/// queue and must hop onto the loop's own queue to read its state.
protocol MasterStateSource: AnyObject, Sendable {
    func masterState() -> MasterState
}
