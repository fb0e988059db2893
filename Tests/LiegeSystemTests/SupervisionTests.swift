import Dispatch
import Testing
@testable import LiegeSystem

@Suite struct SupervisionTests {
    @Test func backoffScheduleStartsOnTheSecondQuickDeathAndCapsAt30() {
        let backoff = RespawnBackoff()
        let delays = (0...9).map { backoff.delaySeconds(afterQuickDeaths: $0) }
        #expect(delays == [0, 0, 1, 2, 4, 8, 16, 30, 30, 30])
        #expect(backoff.delaySeconds(afterQuickDeaths: 1000) == 30)
    }

    @Test func quickDeathsCountOnlyYoungDeathsInARow() {
        let backoff = RespawnBackoff()
        #expect(backoff.quickDeaths(after: 0, livedMicros: 500_000, minimumLifetimeSeconds: 10) == 1)
        #expect(backoff.quickDeaths(after: 3, livedMicros: 9_999_999, minimumLifetimeSeconds: 10) == 4)
        #expect(backoff.quickDeaths(after: 3, livedMicros: 10_000_000, minimumLifetimeSeconds: 10) == 0)
        #expect(backoff.quickDeaths(after: 2, livedMicros: 1, minimumLifetimeSeconds: 0) == 0)   // guard off
    }

    @Test func gracefulPlanAsksWaitsThenKills() {
        #expect(StopPlan.graceful(mercySeconds: 60).steps == [.requestStop, .waitUpTo(seconds: 60), .killGroup])
        #expect(StopPlan.immediate.steps == [.killGroup])

        var progress = StopProgress(plan: .graceful(mercySeconds: 2))
        #expect(progress.advance(now: 1_000_000) == [.requestStop])
        #expect(progress.deadline == 3_000_000)
        #expect(!progress.isFinished)
        #expect(progress.advance(now: 2_999_999) == [])   // still within mercy: nothing again
        #expect(progress.deadline == 3_000_000)
        #expect(progress.advance(now: 3_000_000) == [.killGroup])
        #expect(progress.isFinished)
        #expect(progress.advance(now: 9_000_000) == [])   // done: never repeats
    }

    @Test func immediatePlanKillsAtOnce() {
        var progress = StopProgress(plan: .immediate)
        #expect(progress.advance(now: 5) == [.killGroup])
        #expect(progress.isFinished)
        #expect(progress.deadline == nil)
    }

    @Test func zeroMercyKillsInTheSameStep() {
        var progress = StopProgress(plan: .graceful(mercySeconds: 0))
        #expect(progress.advance(now: 100) == [.requestStop, .killGroup])
    }

    @Test func signalSourceDeliversOnTheQueue() throws {
        let queue = DispatchQueue(label: "test.signals")
        let received = DispatchSemaphore(value: 0)
        let sources = SignalSources([.user2], queue: queue) { signal in
            dispatchPrecondition(condition: .onQueue(queue))
            if signal == .user2 { received.signal() }
        }
        defer { sources.cancel() }
        #expect(try Processes.kill(Posix.processID, .user2))
        #expect(received.wait(timeout: .now() + 5) == .success)
    }
}
