import LiegeSystem
import Synchronization

/// One app thread's view of its request in flight, for harakiri: wraps the slot observer, remembers
/// the connection's channel, the request and whether anything was sent, so the watchdog can answer
/// `504` when the app has sent nothing yet. Sending is claimed under the lock: the app's first write
/// and the watchdog's 504 never both go out.
final class RequestWatch: RequestObserver, Sendable {
    private struct Current {
        var channel: ConnectionChannel?
        var startedAt: Int64 = 0
        var request = ""
        var sent = false
        var aborted = false
    }

    struct Expired {
        var request: String
        var startedAt: Int64
        var answered: Bool
    }

    private let inner: SlotObserver
    private let lifecycle: WorkerLifecycle
    private let tracksHarakiri: Bool
    private let current = Mutex(Current())

    init(inner: SlotObserver, lifecycle: WorkerLifecycle, tracksHarakiri: Bool) {
        self.inner = inner
        self.lifecycle = lifecycle
        self.tracksHarakiri = tracksHarakiri
    }

    var isStopping: Bool { inner.isStopping }

    var isBusy: Bool { current.withLock { $0.startedAt > 0 } }

    /// The connection being served by this thread (nil: none).
    func connection(_ channel: ConnectionChannel?) {
        guard tracksHarakiri else { return }
        current.withLock { $0.channel = channel }
    }

    func requestStarted(_ description: String) {
        inner.requestStarted(description)
        guard tracksHarakiri else { return }
        let now = monotonicMicroseconds()
        current.withLock {
            $0.startedAt = now
            $0.request = description
            $0.sent = false
        }
    }

    func requestFinished(exception: Bool, status: Int, durationMicros: Int64, bytesSent: Int) {
        inner.requestFinished(exception: exception, status: status, durationMicros: durationMicros, bytesSent: bytesSent)
        if tracksHarakiri { current.withLock { $0.startedAt = 0 } }
        lifecycle.requestFinished()
    }

    /// Called before bytes go to the client. After a harakiri abort it blocks the app thread for good
    /// (the process is about to end) so nothing follows the 504.
    func willSend() {
        guard tracksHarakiri else { return }
        let aborted = current.withLock { state -> Bool in
            state.sent = true
            return state.aborted
        }
        if aborted { while true { sleepMilliseconds(1000) } }
    }

    /// Watchdog: if the request in flight is older than `limit`, answer 504 (when nothing was sent) and
    /// report it; nil otherwise.
    func abortIfOlder(than limit: Int64, now: Int64) -> Expired? {
        current.withLock { state in
            guard state.startedAt > 0, now - state.startedAt > limit, !state.aborted else { return nil }
            state.aborted = true
            var answered = false
            if !state.sent, let channel = state.channel {
                state.sent = true
                let body = "504 Gateway Timeout: the request took too long (harakiri)\n"
                let response = "HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                    + "Connection: close\r\nServer: liege\r\n\r\n" + body
                channel.emergencyAnswer(Array(response.utf8))
                answered = true
            }
            return Expired(request: state.request, startedAt: state.startedAt, answered: answered)
        }
    }

    /// The process is ending (another thread's harakiri): a request in flight that sent nothing yet
    /// gets a 503 instead of a silent close.
    func abandon() {
        current.withLock { state in
            guard state.startedAt > 0, !state.sent, !state.aborted, let channel = state.channel else { return }
            state.sent = true
            state.aborted = true
            let body = "503 Service Unavailable: the worker is restarting, try again\n"
            let response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\nServer: liege\r\n\r\n" + body
            channel.emergencyAnswer(Array(response.utf8))
        }
    }
}
