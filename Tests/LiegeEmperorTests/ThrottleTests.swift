import Testing
@testable import LiegeEmperor

@Suite struct ThrottleTests {
    @Test func delaysDoubleFromTheFirstFailureUpToTheMaximum() {
        let throttle = EmperorThrottle(firstMilliseconds: 1000, maximumMilliseconds: 180_000)
        #expect((0...10).map { throttle.delayMilliseconds(afterFailures: $0) }
                == [0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128_000, 180_000, 180_000])
    }

    @Test func hugeFailureCountsStayAtTheMaximum() {
        let throttle = EmperorThrottle(firstMilliseconds: 250, maximumMilliseconds: 5000)
        #expect(throttle.delayMilliseconds(afterFailures: 1000) == 5000)
        #expect(throttle.delayMilliseconds(afterFailures: Int.max) == 5000)
    }
}
