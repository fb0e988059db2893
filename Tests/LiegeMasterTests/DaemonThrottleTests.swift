import Testing
@testable import LiegeMaster

/// Restart throttling of dying daemons (SPEC.md §9): 1 s doubling to 60 s, reset after 10 s up.
@Suite struct DaemonThrottleTests {
    @Test func doublesUpToTheMaximum() {
        var throttle = DaemonThrottle()
        let delays = (0..<9).map { _ in throttle.delayAfterExit(livedMicros: 100_000) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(throttle.failures == 9)
    }

    @Test func aRunOfTenSecondsResets() {
        var throttle = DaemonThrottle()
        _ = throttle.delayAfterExit(livedMicros: 0)
        _ = throttle.delayAfterExit(livedMicros: 9_999_999)
        #expect(throttle.delayAfterExit(livedMicros: 10_000_000) == 0)
        #expect(throttle.failures == 0)
        #expect(throttle.delayAfterExit(livedMicros: 0) == 1)
    }

    @Test func maxThrottleCapsTheDelay() {
        var throttle = DaemonThrottle(maximumSeconds: 5)
        let delays = (0..<5).map { _ in throttle.delayAfterExit(livedMicros: 0) }
        #expect(delays == [1, 2, 4, 5, 5])
    }

    @Test func crashLoopStartsFewTimesInTenSeconds() {
        // A daemon that dies at once: starts at 0, 1, 3, 7 s -> four starts in the first 10 s.
        var throttle = DaemonThrottle()
        var time = 0
        var starts: [Int] = []
        while time < 10 {
            starts.append(time)
            time += throttle.delayAfterExit(livedMicros: 0)
        }
        #expect(starts == [0, 1, 3, 7])
    }
}
