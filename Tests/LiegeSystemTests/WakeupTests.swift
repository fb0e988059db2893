import Dispatch
import Foundation
import Testing
@testable import LiegeSystem

@Suite struct WakeupTests {
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var now: Int { lock.withLock { value } }
    }

    @Test func aLaterOrEqualDeadlineAddsNothingAnEarlierOneAddsAWakeUp() {
        let queue = DispatchQueue(label: "test.wakeup")
        let wakeup = Wakeup(queue: queue)
        let fired = Count()
        let start = monotonicMicroseconds()
        queue.sync {
            wakeup.arm(at: start + 1_000_000) { fired.increment() }
            wakeup.arm(at: start + 1_200_000) { fired.increment() }   // later: the pending one covers it
            wakeup.arm(at: start + 1_000_000) { fired.increment() }   // equal: likewise
            wakeup.arm(at: start + 20_000) { fired.increment() }      // earlier: a wake-up of its own
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(fired.now == 1)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(fired.now == 2)
    }
}
