import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

/// When jobs start, on a controllable wall clock (SPEC.md §10): once per matching minute, whatever the
/// clock does; unique jobs wait or skip.
@Suite struct CronPlannerTests {
    let utc: CronMatcher.Calendar = { ISOTime.utc($0) }
    let base = 1_798_761_600   // 2027-01-01T00:00:00Z, a Friday

    func planner(_ lines: String...) throws -> CronPlanner {
        CronPlanner(lines: try lines.map { try CronLine.parse($0).get() })
    }

    @Test func firesOncePerMatchingMinuteAtItsStart() throws {
        var planner = try planner("-1 -1 -1 -1 -1 x")
        #expect(planner.decide(now: base, calendar: utc) { _ in false } == [.start(index: 0, minute: base / 60)])
        for second in 1..<60 {   // the master checks every second: nothing more this minute
            #expect(planner.decide(now: base + second, calendar: utc) { _ in false }.isEmpty)
        }
        #expect(planner.decide(now: base + 60, calendar: utc) { _ in false } == [.start(index: 0, minute: base / 60 + 1)])
    }

    @Test func onlyMatchingMinutes() throws {
        var planner = try planner("-5 -1 -1 -1 -1 x", "3 0 -1 -1 -1 y")
        var started: [Int: [Int]] = [:]
        for second in stride(from: base, to: base + 3600, by: 1) {
            for case let .start(index, minute) in planner.decide(now: second, calendar: utc, isRunning: { _ in false }) {
                started[index, default: []].append(minute * 60 - base)
            }
        }
        #expect(started[0] == Array(stride(from: 0, to: 3600, by: 300)))
        #expect(started[1] == [180])
    }

    @Test func clockSteppedBackDoesNotRepeatMinutes() throws {
        var planner = try planner("-1 -1 -1 -1 -1 x")
        #expect(planner.decide(now: base + 125, calendar: utc) { _ in false }.count == 1)   // 00:02 fired
        #expect(planner.decide(now: base + 10, calendar: utc) { _ in false }.isEmpty)     // back to 00:00
        #expect(planner.decide(now: base + 70, calendar: utc) { _ in false }.isEmpty)     // 00:01
        #expect(planner.decide(now: base + 130, calendar: utc) { _ in false }.isEmpty)    // 00:02 again
        #expect(planner.decide(now: base + 180, calendar: utc) { _ in false } == [.start(index: 0, minute: base / 60 + 3)])
    }

    @Test func clockSteppedForwardFiresTheCurrentMinuteOnce() throws {
        var planner = try planner("-1 -1 -1 -1 -1 x")
        _ = planner.decide(now: base, calendar: utc) { _ in false }
        #expect(planner.decide(now: base + 3600 + 3, calendar: utc) { _ in false } == [.start(index: 0, minute: base / 60 + 60)])
        #expect(planner.decide(now: base + 3600 + 4, calendar: utc) { _ in false }.isEmpty)
    }

    @Test func onlyInTheFirstSecondsOfTheMinute() throws {
        // A master started (or a clock stepped) at 00:00:40 does not start 00:00's jobs late: it waits for 00:01.
        var planner = try planner("-1 -1 -1 -1 -1 x")
        #expect(planner.decide(now: base + 40, calendar: utc) { _ in false }.isEmpty)
        #expect(planner.decide(now: base + 59, calendar: utc) { _ in false }.isEmpty)
        #expect(planner.decide(now: base + 60 + CronPlanner.window - 1, calendar: utc) { _ in false }
            == [.start(index: 0, minute: base / 60 + 1)])
        var late = try self.planner("-1 -1 -1 -1 -1 x")
        #expect(late.decide(now: base + 60 + CronPlanner.window, calendar: utc) { _ in false }.isEmpty)
    }

    @Test func stateIsKeptAcrossRepeatedChecks() throws {
        // A reload keeps the master and its planner: the same minute seen again does not fire again.
        var planner = try planner("0 0 1 1 -1 x")
        #expect(planner.decide(now: base + 5, calendar: utc) { _ in false }.count == 1)
        let saved = planner
        var again = saved
        #expect(again.decide(now: base + 8, calendar: utc) { _ in false }.isEmpty)
        #expect(planner.states[0].lastFiredMinute == base / 60)
    }

    @Test func uniqueJobWaitsForThePreviousRun() throws {
        var planner = try CronPlanner(lines: [CronLine.parse("-1 -1 -1 -1 -1 x", unique: true).get()])
        _ = planner.decide(now: base, calendar: utc) { _ in false }
        #expect(planner.decide(now: base + 60, calendar: utc) { _ in true } == [.waiting(index: 0, minute: base / 60 + 1)])
        #expect(planner.decide(now: base + 61, calendar: utc) { _ in true }.isEmpty)
        #expect(planner.decide(now: base + 75, calendar: utc) { _ in false } == [.start(index: 0, minute: base / 60 + 1)])
        #expect(planner.decide(now: base + 76, calendar: utc) { _ in false }.isEmpty)
    }

    @Test func uniqueJobSkipsWhenThePreviousRunOutlivesTheMinute() throws {
        var planner = try CronPlanner(lines: [CronLine.parse("-1 -1 -1 -1 -1 x", unique: true).get()])
        _ = planner.decide(now: base, calendar: utc) { _ in false }
        _ = planner.decide(now: base + 60, calendar: utc) { _ in true }
        #expect(planner.decide(now: base + 120, calendar: utc) { _ in true }
            == [.skipped(index: 0, minute: base / 60 + 1), .waiting(index: 0, minute: base / 60 + 2)])
        #expect(planner.decide(now: base + 185, calendar: utc) { _ in false }
            == [.skipped(index: 0, minute: base / 60 + 2), .start(index: 0, minute: base / 60 + 3)])
    }

    @Test func plainJobsMayOverlap() throws {
        var planner = try planner("-1 -1 -1 -1 -1 x")
        _ = planner.decide(now: base, calendar: utc) { _ in true }
        #expect(planner.decide(now: base + 60, calendar: utc) { _ in true } == [.start(index: 0, minute: base / 60 + 1)])
    }

    @Test func aReloadKeepsTheStateOfUnchangedJobs() throws {
        var planner = try planner("-1 -1 -1 -1 -1 kept", "-1 -1 -1 -1 -1 changed")
        #expect(planner.decide(now: base, calendar: utc) { _ in false }.count == 2)
        let (reloaded, remap) = planner.updated(to: try [CronLine.parse("0 0 1 1 -1 new").get(), CronLine.parse("-1 -1 -1 -1 -1 kept").get(),
                                                         CronLine.parse("-1 -1 -1 -1 -1 changed too").get()])
        #expect(remap == [0: 1])
        var next = reloaded
        // Same minute: the unchanged job does not fire again; the other two are new jobs.
        #expect(next.decide(now: base + 10, calendar: utc) { _ in false }
            == [.start(index: 0, minute: base / 60), .start(index: 2, minute: base / 60)])
        #expect(next.decide(now: base + 60, calendar: utc) { _ in false }
            == [.start(index: 1, minute: base / 60 + 1), .start(index: 2, minute: base / 60 + 1)])
    }
}
