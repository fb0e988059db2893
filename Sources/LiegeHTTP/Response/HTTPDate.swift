/// IMF-fixdate (RFC 9110 §5.6.7) formatting with plain calendar arithmetic: no time zone database,
/// no locale. Used for `Date`, `Last-Modified` and `Expires`.
public struct HTTPDate {
    private static let weekdays: [StaticString] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `"Sun, 06 Nov 1994 08:49:37 GMT"` for 784111777. Years are printed with at least 4 digits.
    public static func format(epochSeconds: Int) -> String {
        String(decoding: bytes(epochSeconds: epochSeconds), as: UTF8.self)
    }

    /// The same text as bytes (29 for years 0...9999).
    public static func bytes(epochSeconds: Int) -> [UInt8] {
        let days = floorDivide(epochSeconds, 86_400)
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        append(weekdays[floorModulo(days, 7)], to: &out)
        out.append(contentsOf: [0x2C, 0x20])  // ", "
        appendDigits(day, width: 2, to: &out)
        out.append(0x20)
        append(months[month - 1], to: &out)
        out.append(0x20)
        if year < 0 { out.append(0x2D) }
        appendDigits(abs(year), width: 4, to: &out)
        out.append(0x20)
        appendDigits(secondsOfDay / 3600, width: 2, to: &out)
        out.append(0x3A)
        appendDigits(secondsOfDay / 60 % 60, width: 2, to: &out)
        out.append(0x3A)
        appendDigits(secondsOfDay % 60, width: 2, to: &out)
        append(" GMT", to: &out)
        return out
    }

    /// Proleptic Gregorian (year, month 1-12, day 1-31) of a day count from 1970-01-01
    /// (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    private static func floorModulo(_ value: Int, _ divisor: Int) -> Int {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        Digits.appendDecimal(value, minimumWidth: width, to: &out)
    }
}
