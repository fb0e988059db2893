import Dispatch

/// A loop's one-shot wake-up at the earliest of its deadlines (monotonic microseconds): arming it for a
/// deadline no earlier than the pending one does nothing; an earlier deadline adds a wake-up. The
/// master's arbiter and the emperor's governor use it between their slower timers. Use it on `queue` only.
public final class Wakeup: @unchecked Sendable {
    private let queue: DispatchQueue
    private var pending: Int64?

    public init(queue: DispatchQueue) {
        self.queue = queue
    }

    /// Runs `action` on the queue at `deadline` (at once when it has passed), unless a wake-up no later
    /// than it is already pending.
    public func arm(at deadline: Int64, _ action: @escaping @Sendable () -> Void) {
        if let pending, pending <= deadline, pending > monotonicMicroseconds() { return }
        pending = deadline
        let delay = max(0, deadline - monotonicMicroseconds())
        queue.asyncAfter(deadline: .now() + .microseconds(Int(delay))) { [self] in
            if pending == deadline { pending = nil }
            action()
        }
    }
}
