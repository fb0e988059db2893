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
        let days = CivilDate.floorDivide(epochSeconds, 86_400)
        let secondsOfDay = epochSeconds - days * 86_400
        let (year, month, day) = CivilDate.fields(daysSinceEpoch: days)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        append(weekdays[CivilDate.floorModulo(days, 7)], to: &out)
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

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        Digits.appendDecimal(value, minimumWidth: width, to: &out)
    }
}
