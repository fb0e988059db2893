import LiegeHTTP
import LiegeSystem

/// ISO 8601 times for `--cron-preview`: parsing `YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]` (local time when
/// no offset is given) and printing `YYYY-MM-DDTHH:MM:SS+HH:MM` in local time. Pure but for `mktime`.
enum ISOTime {
    static func epochSeconds(_ text: String) -> Int? {
        let characters = Array(text)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            let slice = characters[index..<(index + digits)]
            guard slice.allSatisfy(\.isNumber), let value = Int(String(slice)) else { return nil }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var (hour, minute, second) = (0, 0, 0)
        if expect("T") || expect(" ") {
            guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
            (hour, minute) = (h, m)
            if expect(":") {
                guard let s = number(2), s < 61 else { return nil }
                second = s
            }
        }
        let fields = CalendarTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, weekday: 0)
        if index == characters.count { return fields.epochSeconds }
        if expect("Z"), index == characters.count { return utcEpoch(fields) }
        let sign = characters[index] == "-" ? -1 : 1
        guard expect("+") || expect("-"), let offsetHours = number(2) else { return nil }
        _ = expect(":")
        guard let offsetMinutes = number(2), index == characters.count else { return nil }
        return utcEpoch(fields) - sign * (offsetHours * 3600 + offsetMinutes * 60)
    }

    /// `2026-11-21T21:05:00+01:00` for an epoch second, in the zone `calendar` breaks times into.
    static func string(_ epochSeconds: Int, calendar: CronMatcher.Calendar) -> String {
        let time = calendar(epochSeconds)
        let offset = (utcEpoch(time) - epochSeconds) / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(time.year)-\(two(time.month))-\(two(time.day))T\(two(time.hour)):\(two(time.minute)):\(two(time.second))"
            + "\(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
    }

    /// The epoch second of `time`'s fields read as UTC (proleptic Gregorian).
    static func utcEpoch(_ time: CalendarTime) -> Int {
        CivilDate.daysSinceEpoch(year: time.year, month: time.month, day: time.day) * 86_400
            + time.hour * 3600 + time.minute * 60 + time.second
    }

    /// The inverse of `utcEpoch`: UTC fields of an epoch second (a deterministic calendar for tests).
    static func utc(_ epochSeconds: Int) -> CalendarTime {
        let days = CivilDate.floorDivide(epochSeconds, 86_400)
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = CivilDate.fields(daysSinceEpoch: days)
        return CalendarTime(year: year, month: month, day: day,
                            hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60, second: secondsOfDay % 60,
                            weekday: CivilDate.weekday(daysSinceEpoch: days))
    }
}
