import LiegePython
import LiegeSystem
import Synchronization

/// Events from the worker's loop thread to its ASGI thread. The loop posts as it goes and announces
/// once per loop turn (`announce`): the eventfd is written only when the ASGI thread has taken the
/// previous batch, so a busy pair of threads crosses with one syscall per batch, not per event.
final class ASGIInbox: Sendable {
    private struct Posted {
        var events: [ASGIEvent] = []
        var exchanges: [ASGIExchange] = []
        var sockets: [ASGIWebSocket] = []
        /// The eventfd was written and the ASGI thread has not taken the batch yet.
        var signalled = false
        /// Posted since the last announce.
        var fresh = false
        /// When the eventfd was written for the batch not taken yet (monotonic microseconds; 0: none).
        var signalledAt: Int64 = 0
    }

    private let posted = Mutex(Posted())
    let signal: EventSignal

    init() throws(SystemError) {
        signal = try EventSignal()
    }

    /// Loop thread: an event, with the exchange of a new request.
    func post(_ event: ASGIEvent, exchange: ASGIExchange? = nil, socket: ASGIWebSocket? = nil) {
        posted.withLock { posted in
            posted.events.append(event)
            if let exchange { posted.exchanges.append(exchange) }
            if let socket { posted.sockets.append(socket) }
            posted.fresh = true
        }
    }

    /// Any thread, at the end of its turn: wakes the ASGI thread if it has news and no wake-up pending.
    func announce() {
        let wake = posted.withLock { posted -> Bool in
            guard posted.fresh else { return false }
            posted.fresh = false
            guard !posted.signalled else { return false }
            posted.signalled = true
            posted.signalledAt = monotonicMicroseconds()
            return true
        }
        if wake { signal.signal() }
    }

    /// harakiri's watchdog: wakes the ASGI thread with nothing to take, so that a loop which never comes
    /// back for it shows in `waitingMicros` even when no client sends anything.
    func probe() {
        posted.withLock { $0.fresh = true }
        announce()
    }

    /// How long the ASGI thread has left a wake-up untaken (0: it took every one): an asyncio loop that
    /// runs its callbacks takes each within moments, one blocked by a synchronous call does not.
    func waitingMicros(now: Int64) -> Int64 {
        let since = posted.withLock { $0.signalledAt }
        return since > 0 ? max(0, now - since) : 0
    }

    /// The loop has ended: the ASGI thread runs the lifespan shutdown and returns.
    func stop() {
        post(.stop)
        announce()
    }

    /// ASGI thread: everything posted since the last take.
    func take() -> (events: [ASGIEvent], exchanges: [ASGIExchange], sockets: [ASGIWebSocket]) {
        let wasSignalled = posted.withLock { $0.signalled }
        if wasSignalled { signal.drain() }
        return posted.withLock { posted in
            // A wake-up written after the first look stays unread in the eventfd: keep it marked, so the
            // next take (which that wake-up brings) reads it, instead of the descriptor staying readable
            // with nothing marked and the ASGI thread's reader firing over and over.
            if wasSignalled || !posted.signalled {
                posted.signalled = false
                posted.signalledAt = 0
            }
            posted.fresh = false
            let taken = (posted.events, posted.exchanges, posted.sockets)
            posted.events.removeAll(keepingCapacity: true)
            posted.exchanges.removeAll(keepingCapacity: true)
            posted.sockets.removeAll(keepingCapacity: true)
            return taken
        }
    }
}
