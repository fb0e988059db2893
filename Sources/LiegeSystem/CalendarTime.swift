import Glibc

/// A wall-clock second broken down in local time (localtime_r / mktime): what cron matches against.
public struct CalendarTime: Sendable, Equatable {
    public var year: Int
    /// 1-12
    public var month: Int
    /// 1-31
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 0 = Sunday ... 6 = Saturday
    public var weekday: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second, self.weekday) =
            (year, month, day, hour, minute, second, weekday)
    }

    /// `epochSeconds` in the local time zone (TZ).
    public static func local(epochSeconds: Int) -> CalendarTime {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return CalendarTime(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec),
                            weekday: Int(parts.tm_wday))
    }

    /// The epoch second of these local fields (mktime; the weekday is ignored, DST decided by the system).
    public var epochSeconds: Int {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        return Int(mktime(&parts))
    }

    /// `2026-11-21T21:05:00+01:00`: ISO 8601 in local time with the UTC offset.
    public static func isoString(epochSeconds: Int) -> String {
        let stamp = localTimeString(epochSeconds: epochSeconds, format: "%Y-%m-%dT%H:%M:%S%z")
        guard stamp.count >= 5 else { return stamp }
        return String(stamp.dropLast(2)) + ":" + String(stamp.suffix(2))
    }
}
