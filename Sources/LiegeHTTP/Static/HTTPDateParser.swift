/// Reads the three date formats RFC 9110 §5.6.7 requires recipients to accept:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`). The weekday is not checked.
public enum HTTPDateParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the epoch, or nil when the text is none of the formats.
    public static func parse(_ text: String) -> Int? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if fields.count == 6, fields[0].hasSuffix(","), fields[5] == "GMT" {  // IMF-fixdate
            guard let day = Int(fields[1]), let month = month(fields[2]), let year = Int(fields[3]), fields[3].count == 4
            else { return nil }
            return compose(year: year, month: month, day: day, time: fields[4])
        }
        if fields.count == 4, fields[0].hasSuffix(","), fields[3] == "GMT" {  // RFC 850
            let parts = fields[1].split(separator: "-")
            guard parts.count == 3, let day = Int(parts[0]), let month = month(parts[1]), let short = Int(parts[2]),
                  parts[2].count == 2 else { return nil }
            // Two-digit years: the RFC says a year more than 50 years ahead means the past century.
            let year = short < 70 ? 2000 + short : 1900 + short
            return compose(year: year, month: month, day: day, time: fields[2])
        }
        if fields.count == 5, let month = month(fields[1]) {  // asctime
            guard let day = Int(fields[2]), let year = Int(fields[4]) else { return nil }
            return compose(year: year, month: month, day: day, time: fields[3])
        }
        return nil
    }

    private static func month(_ text: Substring) -> Int? {
        guard text.count == 3 else { return nil }
        return months.firstIndex(of: text.lowercased()).map { $0 + 1 }
    }

    private static func compose(year: Int, month: Int, day: Int, time: Substring) -> Int? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), let second = Int(parts[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (1...31).contains(day), (1...9999).contains(year) else { return nil }
        return CivilDate.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }
}
