import Testing
@testable import LiegeHTTP

@Suite struct StaticDateParserTests {
    @Test(arguments: [0, 784_111_777, 951_782_400, 1_709_164_800, 2_147_483_648, 4_107_542_400, 253_402_300_799])
    func roundTripsWithTheFormatter(seconds: Int) {
        #expect(HTTPDateParser.parse(HTTPDate.format(epochSeconds: seconds)) == seconds)
    }

    @Test func theThreeFormatsOfRFC9110() {
        #expect(HTTPDateParser.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDateParser.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDateParser.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDateParser.parse("Thu, 01-Jan-26 00:00:00 GMT") == HTTPDateParser.parse("Thu, 01 Jan 2026 00:00:00 GMT"))
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
    ])
    func rejects(text: String) {
        #expect(HTTPDateParser.parse(text) == nil)
    }

    @Test func dayCountsMatchTheCivilDateFormula() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (year, month, day) = CivilDate.fields(daysSinceEpoch: days)
            #expect(CivilDate.daysSinceEpoch(year: year, month: month, day: day) == days)
        }
    }
}
