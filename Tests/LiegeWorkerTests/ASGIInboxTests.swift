import LiegeSystem
import Testing
@testable import LiegeWorker

/// The loop's hand-over to the ASGI thread: one eventfd write per batch, and how long a batch has waited
/// untaken (what harakiri's ASGI watchdog judges). No threads: each side is called in turn.
@Suite struct ASGIInboxTests {
    func readable(_ inbox: ASGIInbox) throws -> Bool {
        let epoll = try Epoll()
        try epoll.add(inbox.signal.fd, .readable, token: 1)
        var ready = false
        try epoll.wait(timeoutMilliseconds: 0) { _, _ in ready = true }
        return ready
    }

    @Test func aBatchIsSignalledOnceAndCountsAsWaitingUntilTaken() throws {
        let inbox = try ASGIInbox()
        #expect(inbox.waitingMicros(now: monotonicMicroseconds()) == 0)
        inbox.post(.poke(id: 1))
        inbox.announce()
        inbox.post(.poke(id: 2))
        inbox.announce()   // the first wake-up is still pending: no second write
        #expect(try readable(inbox))
        #expect(inbox.waitingMicros(now: monotonicMicroseconds() + 3_000_000) >= 3_000_000)
        #expect(inbox.take().events.count == 2)
        #expect(try !readable(inbox))
        #expect(inbox.waitingMicros(now: monotonicMicroseconds() + 3_000_000) == 0)
    }

    @Test func aProbeWakesTheThreadWithNothingToTake() throws {
        let inbox = try ASGIInbox()
        inbox.probe()
        #expect(try readable(inbox))
        #expect(inbox.waitingMicros(now: monotonicMicroseconds() + 1_000) > 0)
        #expect(inbox.take().events.isEmpty)
        #expect(try !readable(inbox))
        #expect(inbox.waitingMicros(now: monotonicMicroseconds()) == 0)
    }
}
