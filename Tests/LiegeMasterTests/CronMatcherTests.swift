import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

/// Schedule matching on a deterministic UTC calendar (SPEC.md §10).
@Suite struct CronMatcherTests {
    let utc: CronMatcher.Calendar = { ISOTime.utc($0) }

    func line(_ text: String) throws -> CronLine {
        try CronLine.parse(text, requireCommand: false).get()
    }

    func at(_ text: String) throws -> Int {
        try #require(ISOTime.epochSeconds(text))
    }

    func fires(_ spec: String, from: String, count: Int = 5) throws -> [String] {
        CronMatcher.nextFires(try line(spec), after: try at(from), count: count, calendar: utc).map { ISOTime.string($0, calendar: utc) }
    }

    @Test func utcCalendarIsRight() throws {
        let time = ISOTime.utc(try at("2024-02-29T13:45:07Z"))
        #expect(time == CalendarTime(year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 7, weekday: 4))
        #expect(ISOTime.utc(0).weekday == 4)
        #expect(ISOTime.utc(try at("2026-11-22T00:00:00Z")).weekday == 0)
        #expect(ISOTime.string(try at("2026-11-22T10:00:00+02:00"), calendar: utc) == "2026-11-22T08:00:00+00:00")
    }

    @Test func everyMinute() throws {
        #expect(try fires("-1 -1 -1 -1 -1", from: "2026-12-31T23:58:30Z", count: 3)
            == ["2026-12-31T23:59:00+00:00", "2027-01-01T00:00:00+00:00", "2027-01-01T00:01:00+00:00"])
    }

    @Test func exactFieldsAndEdgeMinutes() throws {
        #expect(try fires("59 23 31 12 -1", from: "2026-01-01T00:00Z", count: 2)
            == ["2026-12-31T23:59:00+00:00", "2027-12-31T23:59:00+00:00"])
        #expect(try fires("0 0 1 1 -1", from: "2026-12-31T23:59:59Z", count: 1) == ["2027-01-01T00:00:00+00:00"])
        // Strictly after: a time on a fire minute gives the next one.
        #expect(try fires("30 * * * *", from: "2026-05-05T10:30Z", count: 1) == ["2026-05-05T11:30:00+00:00"])
    }

    @Test func multiplesOfN() throws {
        #expect(try fires("-20 -1 -1 -1 -1", from: "2026-05-05T10:01Z", count: 3)
            == ["2026-05-05T10:20:00+00:00", "2026-05-05T10:40:00+00:00", "2026-05-05T11:00:00+00:00"])
        #expect(try fires("0 0 -2 -1 -1", from: "2026-01-30T12:00Z", count: 3)   // even days, unlike */2
            == ["2026-02-02T00:00:00+00:00", "2026-02-04T00:00:00+00:00", "2026-02-06T00:00:00+00:00"])
        #expect(try fires("0 0 1 -3 -1", from: "2026-01-01T12:00Z", count: 4)
            == ["2026-03-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00", "2026-09-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00"])
        #expect(try fires("0 -6 -1 -1 -1", from: "2026-01-01T01:00Z", count: 4)
            == ["2026-01-01T06:00:00+00:00", "2026-01-01T12:00:00+00:00", "2026-01-01T18:00:00+00:00", "2026-01-02T00:00:00+00:00"])
    }

    @Test func monthEnds() throws {
        #expect(try fires("0 0 31 -1 -1", from: "2026-01-31T12:00Z", count: 3)
            == ["2026-03-31T00:00:00+00:00", "2026-05-31T00:00:00+00:00", "2026-07-31T00:00:00+00:00"])
        #expect(try fires("0 0 30 * *", from: "2026-01-30T12:00Z", count: 2)
            == ["2026-03-30T00:00:00+00:00", "2026-04-30T00:00:00+00:00"])
    }

    @Test func leapDay() throws {
        #expect(try fires("0 12 29 2 -1", from: "2025-01-01T00:00Z", count: 3)
            == ["2028-02-29T12:00:00+00:00", "2032-02-29T12:00:00+00:00", "2036-02-29T12:00:00+00:00"])
        #expect(try fires("0 0 29 2 *", from: "2099-01-01T00:00Z", count: 1) == ["2104-02-29T00:00:00+00:00"])   // 2100 is not leap
    }

    @Test func weekdayZeroAndSeven() throws {
        let sundays = ["2026-11-22T09:00:00+00:00", "2026-11-29T09:00:00+00:00"]
        #expect(try fires("0 9 -1 -1 0", from: "2026-11-21T00:00Z", count: 2) == sundays)
        #expect(try fires("0 9 -1 -1 7", from: "2026-11-21T00:00Z", count: 2) == sundays)
        #expect(try fires("0 9 * * 6-7", from: "2026-11-20T00:00Z", count: 3)
            == ["2026-11-21T09:00:00+00:00", "2026-11-22T09:00:00+00:00", "2026-11-28T09:00:00+00:00"])
    }

    @Test func dayAndWeekdayAreOredOnlyWhenBothRestricted() throws {
        // 13th OR Friday.
        #expect(try fires("0 0 13 -1 5", from: "2026-01-01T12:00Z", count: 4)
            == ["2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00", "2026-01-13T00:00:00+00:00", "2026-01-16T00:00:00+00:00"])
        // Even days AND Fridays (-N is not a restriction).
        #expect(try fires("0 0 -2 -1 5", from: "2026-01-01T12:00Z", count: 2)
            == ["2026-01-02T00:00:00+00:00", "2026-01-16T00:00:00+00:00"])
        // Odd days (*/2) AND Mondays.
        #expect(try fires("0 0 */2 * 1", from: "2026-01-01T12:00Z", count: 2)
            == ["2026-01-05T00:00:00+00:00", "2026-01-19T00:00:00+00:00"])
        let line = try line("0 0 1 -1 1")
        #expect(CronMatcher.matches(line, ISOTime.utc(try at("2026-06-01T00:00Z"))))   // the 1st, a Monday
        #expect(CronMatcher.matches(line, ISOTime.utc(try at("2026-06-08T00:00Z"))))   // a Monday
        #expect(CronMatcher.matches(line, ISOTime.utc(try at("2026-07-01T00:00Z"))))   // the 1st, a Wednesday
        #expect(!CronMatcher.matches(line, ISOTime.utc(try at("2026-07-02T00:00Z"))))
    }

    @Test func rangesListsAndSteps() throws {
        #expect(try fires("*/30 9-10 * * 1-5", from: "2026-11-20T09:10Z", count: 4)   // Friday, then Monday
            == ["2026-11-20T09:30:00+00:00", "2026-11-20T10:00:00+00:00", "2026-11-20T10:30:00+00:00", "2026-11-23T09:00:00+00:00"])
        #expect(try fires("5,10 0 1 1,7 *", from: "2026-01-01T00:06Z", count: 3)
            == ["2026-01-01T00:10:00+00:00", "2026-07-01T00:05:00+00:00", "2026-07-01T00:10:00+00:00"])
    }

    @Test func previewTool() throws {
        let result = CronPreview.render(arguments: ["--cron-preview", "0 12 * * 0", "--from", "2026-11-21T00:00Z", "--count", "2"],
                                        now: 0, calendar: utc)
        #expect(try result.get() == "2026-11-22T12:00:00+00:00\n2026-11-29T12:00:00+00:00\n")
        let defaults = CronPreview.render(arguments: ["--cron-preview", "-1 -1 -1 -1 -1"], now: 0, calendar: utc)
        #expect(try defaults.get().split(separator: "\n").count == 5)
        let keyed = CronPreview.render(arguments: ["--cron-preview", "minute=15,hour=-12", "--from=1970-01-01T00:00Z"], now: 0, calendar: utc)
        #expect(try keyed.get().hasPrefix("1970-01-01T00:15:00+00:00\n1970-01-01T12:15:00+00:00\n"))
        for bad in [["--cron-preview", "5 * * *"], ["--cron-preview", "* * * * *", "--from", "yesterday"],
                    ["--cron-preview", "* * * * *", "--count", "0"], ["--cron-preview"], ["--cron-preview", "* * * * *", "--bogus"]] {
            #expect(throws: CronSyntaxError.self) { try CronPreview.render(arguments: bad, now: 0, calendar: utc).get() }
        }
    }
}
