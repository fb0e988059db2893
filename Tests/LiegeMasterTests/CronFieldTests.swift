import LiegeConfig
import Testing

/// Parsing of cron lines and fields (SPEC.md §10): uWSGI forms, the crontab extension, located errors.
@Suite struct CronFieldTests {
    func field(_ text: String, _ unit: CronField.Unit) throws -> CronField {
        try CronField.parse(text, unit: unit).get()
    }

    func values(_ text: String, _ unit: CronField.Unit) throws -> [Int] {
        let parsed = try field(text, unit)
        let range = unit == .weekday ? 0...6 : unit.bounds
        return range.filter(parsed.matches)
    }

    @Test func uwsgiForms() throws {
        #expect(try field("-1", .minute).rule == .any)
        #expect(try field("5", .minute).rule == .values([5]))
        #expect(try field("-15", .minute).rule == .multipleOf(15))
        #expect(try values("-15", .minute) == [0, 15, 30, 45])
        #expect(try values("-2", .day) == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30])
        #expect(try values("-7", .hour) == [0, 7, 14, 21])
        #expect(try values("-2", .weekday) == [0, 2, 4, 6])
    }

    @Test func monthMinusThreeIsMarchJuneSeptemberDecember() throws {
        let parsed = try field("-3", .month)
        #expect((1...12).filter(parsed.matches) == [3, 6, 9, 12])
    }

    @Test func crontabExtension() throws {
        #expect(try field("*", .hour).rule == .any)
        #expect(try values("*/2", .day).prefix(4) == [1, 3, 5, 7])
        #expect(try values("*/15", .minute) == [0, 15, 30, 45])
        #expect(try values("1-5", .weekday) == [1, 2, 3, 4, 5])
        #expect(try values("10-20/5", .minute) == [10, 15, 20])
        #expect(try values("1,15,31", .day) == [1, 15, 31])
        #expect(try values("0-5/2,20", .hour) == [0, 2, 4, 20])
        let months = try field("*/3", .month)
        #expect((1...12).filter(months.matches) == [1, 4, 7, 10])
    }

    @Test func weekdaySevenIsSunday() throws {
        #expect(try field("7", .weekday).matches(0))
        #expect(try field("0", .weekday).matches(0))
        #expect(try values("5-7", .weekday) == [0, 5, 6])
        #expect(!(try field("7", .weekday).matches(6)))
    }

    @Test func restrictedFields() throws {
        #expect(try field("5", .day).isRestricted)
        #expect(try field("1-5", .weekday).isRestricted)
        #expect(try field("1,3", .weekday).isRestricted)
        #expect(!(try field("-1", .day).isRestricted))
        #expect(!(try field("-2", .day).isRestricted))
        #expect(!(try field("*", .day).isRestricted))
        #expect(!(try field("*/2", .day).isRestricted))
    }

    @Test(arguments: [
        ("60", CronField.Unit.minute), ("24", .hour), ("0", .day), ("32", .day), ("0", .month), ("13", .month),
        ("8", .weekday), ("-0", .minute), ("-60", .minute), ("-13", .month), ("5-1", .hour), ("*/0", .minute),
        ("a", .minute), ("", .minute), ("1-", .minute), ("5/2", .minute), ("1,,2", .minute), ("--1", .minute), ("*/2/3", .hour),
    ])
    func invalidFields(text: String, unit: CronField.Unit) {
        #expect(throws: CronSyntaxError.self) { try CronField.parse(text, unit: unit).get() }
    }

    @Test func lines() throws {
        let line = try CronLine.parse("  -5 3 -1 -1 -1   echo  hi  ").get()
        #expect(line.minute.rule == .multipleOf(5))
        #expect(line.hour.rule == .values([3]))
        #expect(line.command == "echo  hi")
        #expect(!line.unique)
        #expect(try CronLine.parse("0 0 * * * true", unique: true).get().unique)
        #expect(throws: CronSyntaxError("4 fields, expected MIN HOUR DAY MONTH WEEKDAY COMMAND")) {
            try CronLine.parse("5 * * *").get()
        }
        #expect(throws: CronSyntaxError.self) { try CronLine.parse("0 0 * * *").get() }
        #expect(try CronLine.parse("0 0 * * *", requireCommand: false).get().command == "")
        #expect(throws: CronSyntaxError("minute \"75\": out of range 0-59")) { try CronLine.parse("75 * * * * x").get() }
    }

    @Test func cron2() throws {
        let line = try CronLine.parseCron2("minute=0,30,hour=3,unique=1,harakiri=20 backup.sh --all").get()
        #expect(line.minute.rule == .values([0, 30]))
        #expect(line.hour.rule == .values([3]))
        #expect(line.day.rule == .any && line.weekday.rule == .any)
        #expect(line.unique)
        #expect(line.harakiri == 20)
        #expect(line.command == "backup.sh --all")
        #expect(try CronLine.parseCron2("week=0 x").get().weekday.rule == .values([0]))
        #expect(try CronLine.parseCron2("echo every minute").get().command == "echo every minute")
        #expect(throws: CronSyntaxError.self) { try CronLine.parseCron2("minute=1,bogus=2 x").get() }
        #expect(throws: CronSyntaxError.self) { try CronLine.parseCron2("minute=1").get() }
        #expect(throws: CronSyntaxError.self) { try CronLine.parseCron2("unique=maybe x").get() }
        #expect(throws: CronSyntaxError.self) { try CronLine.parseCron2("hour=24 x").get() }
    }
}
