import Testing
@testable import LiegeMaster

/// `WorkerCountPolicy` driven by fake once-a-second samples (SPEC.md §8).
@Suite struct ScalingPolicyTests {
    static let second: Int64 = 1_000_000

    func at(_ seconds: Int64, serving: Int, busy: Int = 0, starting: Int = 0, lastEnd: Int64 = 0, backlog: Int? = nil) -> ScalingSample {
        ScalingSample(now: seconds * Self.second, serving: serving, busy: busy, starting: starting,
                      lastRequestEnd: lastEnd * Self.second, backlog: backlog)
    }

    @Test func cheapStartsWithNoWorkerAndWakesWithProcessesOrCheaper() {
        var plain = WorkerCountPolicy(settings: ScalingSettings(processes: 4, cheap: true), now: 0)
        #expect(plain.state == .cheap)
        #expect(plain.target == 0)
        #expect(plain.sample(at(5, serving: 0)) == nil)
        #expect(plain.connectionWaiting(now: 6 * Self.second) == .woke(count: 4))
        #expect(plain.state == .active)
        #expect(plain.target == 4)
        #expect(plain.connectionWaiting(now: 7 * Self.second) == nil)

        var adaptive = WorkerCountPolicy(settings: ScalingSettings(processes: 4, cheap: true, cheaper: 1, cheaperInitial: 3), now: 0)
        #expect(adaptive.target == 0)
        #expect(adaptive.connectionWaiting(now: 1) == .woke(count: 1))
    }

    @Test func withoutCheapTheInitialCountRuns() {
        #expect(WorkerCountPolicy(settings: ScalingSettings(processes: 4), now: 0).target == 4)
        #expect(WorkerCountPolicy(settings: ScalingSettings(processes: 4, cheaper: 2), now: 0).target == 2)
        #expect(WorkerCountPolicy(settings: ScalingSettings(processes: 4, cheaper: 1, cheaperInitial: 3), now: 0).target == 3)
    }

    @Test func idleFiresOnlyAfterMoreThanNSecondsWithoutActivity() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 2, idleSeconds: 2), now: 0)
        #expect(policy.sample(at(1, serving: 2, busy: 1)) == nil)            // a request in flight at 1 s
        #expect(policy.sample(at(2, serving: 2, lastEnd: 2)) == nil)         // it ended at 2 s
        #expect(policy.sample(at(4, serving: 2, lastEnd: 2)) == nil)         // exactly 2 s: not more
        #expect(policy.sample(at(5, serving: 2, lastEnd: 2)) == .wentCheap(reason: "idle: no request for more than 2s"))
        #expect(policy.state == .cheap)
        #expect(policy.target == 0)
        #expect(policy.sample(at(20, serving: 0)) == nil)
        #expect(policy.connectionWaiting(now: 21 * Self.second) == .woke(count: 2))
        #expect(policy.sample(at(22, serving: 2)) == nil)                    // the wake counts as activity
        #expect(policy.sample(at(24, serving: 2)) != nil)
    }

    @Test func idleWaitsForStartingWorkersAndBusyOnes() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 1, idleSeconds: 1), now: 0)
        #expect(policy.sample(at(5, serving: 0, starting: 1)) == nil)        // importing for 5 s
        #expect(policy.sample(at(6, serving: 1, busy: 1)) == nil)
        #expect(policy.sample(at(9, serving: 1, busy: 1)) == nil)            // a long request
        #expect(policy.sample(at(11, serving: 1, lastEnd: 10)) == nil)
        #expect(policy.sample(at(12, serving: 1, lastEnd: 10)) != nil)
    }

    @Test func dieOnIdleExitsInsteadOfGoingCheap() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 1, idleSeconds: 3, dieOnIdle: true), now: 0)
        #expect(policy.sample(at(3, serving: 1)) == nil)
        #expect(policy.sample(at(4, serving: 1)) == .exitOnIdle(seconds: 3))
    }

    @Test func spareGrowsByStepAfterOverloadSamplesOfAllBusy() {
        let settings = ScalingSettings(processes: 5, cheaper: 1, cheaperStep: 2, cheaperOverload: 3)
        var policy = WorkerCountPolicy(settings: settings, now: 0)
        #expect(policy.target == 1)
        #expect(policy.sample(at(1, serving: 1, busy: 1)) == nil)
        #expect(policy.sample(at(2, serving: 1, busy: 1)) == nil)
        #expect(policy.sample(at(3, serving: 1, busy: 1)) == .grew(from: 1, to: 3, reason: "all 1 workers busy for 3s"))
        // New workers still loading: no decision.
        #expect(policy.sample(at(4, serving: 1, busy: 1, starting: 2)) == nil)
        for second in Int64(5)...7 { _ = policy.sample(at(second, serving: 3, busy: 3)) }
        #expect(policy.target == 5)
        for second in Int64(8)...20 { #expect(policy.sample(at(second, serving: 5, busy: 5)) == nil) }   // capped
        #expect(policy.target == 5)
    }

    @Test func anIdleSampleBreaksTheOverloadRun() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 3, cheaper: 1), now: 0)
        _ = policy.sample(at(1, serving: 1, busy: 1))
        _ = policy.sample(at(2, serving: 1, busy: 1))
        _ = policy.sample(at(3, serving: 1, busy: 0, lastEnd: 3))
        #expect(policy.sample(at(4, serving: 1, busy: 1)) == nil)
        #expect(policy.target == 1)
    }

    @Test func spareShrinksOneAtATimeWhenMoreThanOneIdlesDownToCheaper() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 4, cheaper: 1, cheaperInitial: 4), now: 0)
        #expect(policy.sample(at(1, serving: 4, busy: 1)) == nil)
        #expect(policy.sample(at(2, serving: 4, busy: 1)) == nil)
        #expect(policy.sample(at(3, serving: 4, busy: 1)) == .shrank(from: 4, to: 3, reason: "3 workers idle for 3s"))
        for second in Int64(4)...6 { _ = policy.sample(at(second, serving: 3, busy: 1)) }
        #expect(policy.target == 2)
        // One busy and one idle: not "more than one idle", so it stays.
        for second in Int64(7)...20 { #expect(policy.sample(at(second, serving: 2, busy: 1)) == nil) }
        #expect(policy.target == 2)
        for second in Int64(21)...40 { _ = policy.sample(at(second, serving: 2, lastEnd: second)) }
        #expect(policy.target == 1)   // never below cheaper
    }

    @Test func backlogGrowsWhileTheQueueExceedsTheOverload() {
        let settings = ScalingSettings(processes: 4, cheaper: 1, cheaperOverload: 3, algorithm: .backlog)
        var policy = WorkerCountPolicy(settings: settings, now: 0)
        #expect(policy.sample(at(1, serving: 1, busy: 1, backlog: 3)) == nil)
        #expect(policy.sample(at(2, serving: 1, busy: 1, backlog: 4)) != nil)
        #expect(policy.target == 2)
        #expect(policy.sample(at(3, serving: 2, busy: 2, backlog: 10)) != nil)
        #expect(policy.sample(at(4, serving: 3, busy: 3, backlog: 10)) != nil)
        #expect(policy.sample(at(5, serving: 4, busy: 4, backlog: 10)) == nil)
        #expect(policy.target == 4)
        // All busy with an empty queue is no reason to grow in this algorithm, nor to shrink.
        for second in Int64(6)...10 { #expect(policy.sample(at(second, serving: 4, busy: 4, backlog: 0)) == nil) }
        for second in Int64(11)...13 { _ = policy.sample(at(second, serving: 4, lastEnd: second, backlog: 0)) }
        #expect(policy.target == 3)
    }

    @Test func manualOnlyMovesOnFifoCommands() {
        let settings = ScalingSettings(processes: 3, cheaper: 1, cheaperStep: 1, algorithm: .manual)
        var policy = WorkerCountPolicy(settings: settings, now: 0)
        for second in Int64(1)...10 { #expect(policy.sample(at(second, serving: 1, busy: 1)) == nil) }
        #expect(policy.manualStep(up: true, now: 0) == .grew(from: 1, to: 2, reason: "master-fifo +"))
        #expect(policy.manualStep(up: true, now: 0) == .grew(from: 2, to: 3, reason: "master-fifo +"))
        #expect(policy.manualStep(up: true, now: 0) == .refused("master-fifo +: already at processes (3 workers)"))
        #expect(policy.manualStep(up: false, now: 0) == .shrank(from: 3, to: 2, reason: "master-fifo -"))
        _ = policy.manualStep(up: false, now: 0)
        #expect(policy.manualStep(up: false, now: 0) == .refused("master-fifo -: already at cheaper (1 workers)"))
        #expect(policy.target == 1)
    }

    @Test func fifoCommandsWithoutCheaperAndGoingCheap() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 2), now: 0)
        #expect(policy.manualStep(up: true, now: 0) == .refused("master-fifo +: cheaper is off (set cheaper = N)"))
        #expect(policy.goCheap() == .wentCheap(reason: "master-fifo C"))
        #expect(policy.target == 0)
        #expect(policy.goCheap() == .refused("master-fifo C: already in cheap mode"))
        #expect(policy.connectionWaiting(now: 1) == .woke(count: 2))
    }

    @Test func aReloadKeepsTheStateAndClampsTheCount() {
        var policy = WorkerCountPolicy(settings: ScalingSettings(processes: 6, cheaper: 2, cheaperInitial: 5), now: 0)
        policy.update(ScalingSettings(processes: 4, cheaper: 1))
        #expect(policy.target == 4)
        policy.update(ScalingSettings(processes: 3))
        #expect(policy.target == 3)   // adaptive off: every slot
        _ = policy.goCheap()
        policy.update(ScalingSettings(processes: 8))
        #expect(policy.state == .cheap)
        #expect(policy.target == 0)
    }

    @Test func logLinesCarryTheSpecTokens() {
        #expect(ScalingEvent.woke(count: 2).description.contains("cheap mode"))
        #expect(ScalingEvent.woke(count: 2).description.contains("spawning"))
        #expect(ScalingEvent.wentCheap(reason: "idle: no request for more than 2s").description.hasPrefix("idle"))
        #expect(ScalingEvent.exitOnIdle(seconds: 2).description.contains("idle"))
    }
}
