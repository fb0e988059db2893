import Testing
@testable import LiegeWorker

@Suite struct AcceptPolicyTests {
    private let policy = AcceptPolicy(patienceMillis: 5)

    @Test func aloneOrNoBusierThanTheLeastLoadedSiblingAccepts() {
        #expect(policy.decide(mine: 9, siblings: [], deferredSince: nil, now: 100) == .accept)
        #expect(policy.decide(mine: 3, siblings: [3, 7], deferredSince: nil, now: 100) == .accept)
        #expect(policy.decide(mine: 0, siblings: [4], deferredSince: nil, now: 100) == .accept)
    }

    @Test func aBusierWorkerLetsTheSiblingTakeItForAWhile() {
        #expect(policy.decide(mine: 4, siblings: [2, 6], deferredSince: nil, now: 100) == .deferUntil(105))
        #expect(policy.decide(mine: 4, siblings: [2], deferredSince: 100, now: 103) == .deferUntil(105))
    }

    @Test func aSiblingThatDoesNotTakeItDoesNotHoldItUp() {
        #expect(policy.decide(mine: 4, siblings: [2], deferredSince: 100, now: 105) == .accept)
    }
}
