import LiegeConfig
import LiegeSystem

/// Pure schedule arithmetic (SPEC.md §10): whether a cron line matches a local minute, and the next
/// minutes it fires. No clock and no syscalls: the calendar (epoch second -> local fields) is passed in.
enum CronMatcher {
    typealias Calendar = @Sendable (Int) -> CalendarTime

    /// Minute, hour and month must match; day and weekday are OR-ed only when both are restricted
    /// (a number, range or list), otherwise both must match.
    static func matches(_ line: CronLine, _ time: CalendarTime) -> Bool {
        line.minute.matches(time.minute) && matchesHour(line, time)
    }

    /// Everything but the minute matches: some minute of this hour may fire.
    static func matchesHour(_ line: CronLine, _ time: CalendarTime) -> Bool {
        guard line.hour.matches(time.hour), line.month.matches(time.month) else { return false }
        let day = line.day.matches(time.day)
        let weekday = line.weekday.matches(time.weekday)
        if line.day.isRestricted, line.weekday.isRestricted { return day || weekday }
        return day && weekday
    }

    /// The minute index (epoch seconds / 60, floored) of an epoch second.
    static func minute(of epochSeconds: Int) -> Int {
        epochSeconds >= 0 ? epochSeconds / 60 : (epochSeconds - 59) / 60
    }

    /// The first `count` fire times (epoch seconds, whole minutes) strictly after `epochSeconds`,
    /// searching at most `years` ahead. Hours that cannot match are skipped whole.
    static func nextFires(_ line: CronLine, after epochSeconds: Int, count: Int, years: Int = 30,
                          calendar: Calendar) -> [Int] {
        var result: [Int] = []
        var current = (minute(of: epochSeconds) + 1) * 60
        let end = epochSeconds + years * 366 * 86_400
        while result.count < count, current <= end {
            let time = calendar(current)
            if !matchesHour(line, time) {
                current += (60 - time.minute) * 60   // the next hour boundary
                continue
            }
            if line.minute.matches(time.minute) { result.append(current) }
            current += 60
        }
        return result
    }
}
