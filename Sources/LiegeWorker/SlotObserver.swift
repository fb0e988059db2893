import LiegeSystem
import Synchronization

/// Keeps this worker's scoreboard slot up to date (fd 4 from the master); the slot's only writer.
final class SlotObserver: RequestObserver, Sendable {
    private struct Counters {
        var busyThreads = 0
        var requests = 0
        var exceptions = 0
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

    func requestStarted() {
        let now = monotonicMicroseconds()
        counters.withLock { counters in
            counters.busyThreads += 1
            if counters.busyThreads == 1 {
                slot?.requestStartMicros = now
                slot?.status = .busy
            }
        }
    }

    func requestFinished(exception: Bool) {
        let now = monotonicMicroseconds()
        let stopping = state.isStopping
        counters.withLock { counters in
            counters.busyThreads -= 1
            counters.requests += 1
            if exception { counters.exceptions += 1 }
            slot?.requests = counters.requests
            slot?.exceptions = counters.exceptions
            slot?.lastRequestEndMicros = now
            if counters.busyThreads == 0 {
                slot?.requestStartMicros = 0
                slot?.status = stopping ? .stopping : .ready
            }
        }
    }
}
