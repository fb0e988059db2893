import LiegeConfig
import LiegeSystem

/// When each cron job starts (SPEC.md §10), as pure decisions over a wall-clock second, so tests drive
/// it with any clock. The state lives in the master (never reset by a reload):
/// - a job fires at most once per minute index, in the first `window` seconds of that minute (a master
///   started, or a clock stepped, later into a matching minute waits for the next one); it never fires a
///   minute at or before the last one it fired, so a clock stepped back does not repeat minutes (they are
///   waited out), and missed minutes are not caught up;
/// - a `unique` job whose previous run is alive waits; it starts when the run ends within the same
///   minute, else that occurrence is skipped.
struct CronPlanner: Sendable {
    enum Decision: Sendable, Equatable {
        /// Start a run of job `index` (0-based) for minute `minute`.
        case start(index: Int, minute: Int)
        /// Job `index` matched but its previous run is alive: waiting for it.
        case waiting(index: Int, minute: Int)
        /// Job `index`'s occurrence at `minute` was skipped: the previous run outlived the minute.
        case skipped(index: Int, minute: Int)
    }

    struct JobState: Sendable, Equatable {
        var lastFiredMinute: Int?
        var waitingMinute: Int?
    }

    /// Seconds at the start of a minute during which its jobs may start (the master looks every second).
    static let window = 15

    let lines: [CronLine]
    private(set) var states: [JobState]

    init(lines: [CronLine]) {
        self.lines = lines
        self.states = Array(repeating: JobState(), count: lines.count)
    }

    /// The planner for a re-read config: a job whose line is unchanged keeps its state (so a reload never
    /// fires it twice in a minute); `remap` maps each old job index to its new one.
    func updated(to newLines: [CronLine]) -> (planner: CronPlanner, remap: [Int: Int]) {
        var planner = CronPlanner(lines: newLines)
        var remap: [Int: Int] = [:]
        for (index, line) in newLines.enumerated() {
            guard let old = lines.indices.first(where: { lines[$0] == line && remap[$0] == nil }) else { continue }
            remap[old] = index
            planner.states[index] = states[old]
        }
        return (planner, remap)
    }

    /// What to do at wall-clock second `now`; `isRunning(i)` tells whether job i has a run alive.
    mutating func decide(now: Int, calendar: CronMatcher.Calendar, isRunning: (Int) -> Bool) -> [Decision] {
        let minute = CronMatcher.minute(of: now)
        var decisions: [Decision] = []
        var time: CalendarTime?
        for index in lines.indices {
            if let waiting = states[index].waitingMinute {
                if waiting != minute {
                    states[index].waitingMinute = nil
                    decisions.append(.skipped(index: index, minute: waiting))
                } else if !isRunning(index) {
                    states[index].waitingMinute = nil
                    decisions.append(.start(index: index, minute: minute))
                    continue
                } else {
                    continue
                }
            }
            if let last = states[index].lastFiredMinute, minute <= last { continue }
            guard now - minute * 60 < Self.window else { continue }
            let local = time ?? calendar(minute * 60)
            time = local
            guard CronMatcher.matches(lines[index], local) else { continue }
            states[index].lastFiredMinute = minute
            if lines[index].unique, isRunning(index) {
                states[index].waitingMinute = minute
                decisions.append(.waiting(index: index, minute: minute))
            } else {
                decisions.append(.start(index: index, minute: minute))
            }
        }
        return decisions
    }
}
