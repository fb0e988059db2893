import LiegeConfig

/// What the stats server shows of daemons and cron jobs (SPEC.md §7 `daemons`, `crons`), read on the
/// arbiter's queue.
extension DaemonSupervisor {
    /// One entry per configured daemon: its command, its pid (0 when none runs) and its restarts.
    var statsEntries: [(command: String, pid: Int32, respawns: Int)] {
        records.filter { !$0.retired }.map { ($0.line.command, $0.pid ?? 0, max(0, $0.starts - 1)) }
    }
}

extension CronScheduler {
    /// One entry per job, its fields in uWSGI's numbers (-1 any, N, -N every N; a range or list, which
    /// uWSGI has no number for, shows its first value), and the pid of its newest running run (0: none).
    var statsEntries: [(minute: Int, hour: Int, day: Int, month: Int, week: Int, command: String, unique: Bool, pid: Int32)] {
        lines.indices.map { job in
            let line = lines[job]
            let pid = runs.last { $0.job == job }?.pid ?? 0
            return (Self.number(line.minute), Self.number(line.hour), Self.number(line.day), Self.number(line.month),
                    Self.number(line.weekday), line.command, line.unique, pid)
        }
    }

    static func number(_ field: CronField) -> Int {
        switch field.rule {
        case .any: return -1
        case .multipleOf(let n): return -n
        case .values(let values): return values.min() ?? -1
        }
    }
}
