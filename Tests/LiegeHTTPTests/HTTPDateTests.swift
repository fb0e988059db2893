import Testing
@testable import LiegeHTTP

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),  // the RFC 9110 example
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),  // leap year divisible by 400
        (951_868_799, "Tue, 29 Feb 2000 23:59:59 GMT"),
        (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
        (1_704_067_199, "Sun, 31 Dec 2023 23:59:59 GMT"),
        (2_147_483_647, "Tue, 19 Jan 2038 03:14:07 GMT"),  // the 32-bit limit
        (2_147_483_648, "Tue, 19 Jan 2038 03:14:08 GMT"),
        (4_107_542_399, "Sun, 28 Feb 2100 23:59:59 GMT"),  // 2100 is not a leap year
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func knownDates(seconds: Int, expected: String) {
        #expect(HTTPDate.format(epochSeconds: seconds) == expected)
        #expect(HTTPDate.bytes(epochSeconds: seconds).count == 29)
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        // civil date -> day count by a naive count, compared with the closed formula
        var days = 0
        for year in 1970..<2370 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for (index, length) in lengths.enumerated() {
                for day in 1...length {
                    let civil = CivilDate.fields(daysSinceEpoch: days)
                    guard civil.year == year, civil.month == index + 1, civil.day == day else {
                        Issue.record("day \(days): \(civil) != \(year)-\(index + 1)-\(day)")
                        return
                    }
                    days += 1
                }
            }
        }
        #expect(days == 146_097)
    }
}
