import LiegeSystem
import Synchronization

/// Keeps this worker's scoreboard slot up to date (fd 4 from the master); the slot's only writer.
final class SlotObserver: RequestObserver, Sendable {
    private struct Counters {
        var busyThreads = 0
    }

    private let slot: ScoreboardSlot?
    private let state: WorkerState
    private let counters = Mutex(Counters())

    init(id: Int, state: WorkerState) {
        self.state = state
        slot = (try? Scoreboard.attach(fd: 4)).flatMap { board in
            (1...board.slotCount).contains(id) ? board[id] : nil
        }
    }

    var isStopping: Bool { state.isStopping }

    func markReady() {
        slot?.status = .ready
    }

    func markStopped() {
        slot?.status = .stopping
    }

    func requestStarted(_ description: String) {
        counters.withLock { counters in
            counters.busyThreads += 1
            if counters.busyThreads == 1 { slot?.beginRequest(request: description) }
        }
    }

    func requestFinished(exception: Bool, status: Int, durationMicros: Int64, bytesSent: Int) {
        let stopping = state.isStopping
        counters.withLock { counters in
            counters.busyThreads -= 1
            slot?.recordResponse(status: status, durationMicros: durationMicros, bytesSent: bytesSent)
            // With several threads the slot stays busy until the last request in flight ends.
            guard counters.busyThreads == 0 else {
                slot?.requests += 1
                if exception { slot?.exceptions += 1 }
                return
            }
            slot?.endRequest(failed: exception)
            if stopping { slot?.status = .stopping }
        }
    }
}
