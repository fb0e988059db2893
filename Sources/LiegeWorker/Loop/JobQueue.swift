import LiegeSystem
import Synchronization

/// Requests waiting for an app thread, first come first served. Idle threads park; a new job wakes
/// one of them (a syscall only when a thread really sleeps).
final class JobQueue: Sendable {
    private struct State {
        var jobs: [RequestJob] = []
        var head = 0
        var idle: [Parker] = []
        var closed = false
        /// Jobs taken by a thread and not finished yet.
        var running = 0
        /// When a thread last finished a job (monotonic microseconds; 0: none yet).
        var lastFinish: Int64 = 0

        var waiting: Int { jobs.count - head }
    }

    private let state = Mutex(State())
    let threads: Int

    init(threads: Int) {
        self.threads = threads
    }

    /// Queues a job; an idle thread is woken by `wakeIdle` once the loop's turn is over, so one wake-up
    /// serves a whole batch of requests.
    func push(_ job: RequestJob) {
        state.withLock { $0.jobs.append(job) }
    }

    /// Wakes as many idle threads as there are waiting jobs.
    func wakeIdle() {
        let woken = state.withLock { state -> [Parker] in
            var woken: [Parker] = []
            while state.waiting > woken.count, let parker = state.idle.popLast() { woken.append(parker) }
            return woken
        }
        woken.forEach { $0.unpark() }
    }

    /// App thread: the next job (after finishing the previous one, if `finished`); waits while there
    /// is none (calling `beforeWaiting` first); nil once the queue is closed and empty.
    func next(parker: Parker, finished: Bool, beforeWaiting: () -> Void) -> RequestJob? {
        var finishedNow = finished
        while true {
            let job = state.withLock { state -> RequestJob?? in
                if finishedNow {
                    state.running -= 1
                    state.lastFinish = monotonicMicroseconds()
                    finishedNow = false
                }
                if state.head < state.jobs.count {
                    let job = state.jobs[state.head]
                    state.head += 1
                    if state.head == state.jobs.count {
                        state.jobs.removeAll(keepingCapacity: true)
                        state.head = 0
                    }
                    state.running += 1
                    return .some(job)
                }
                if state.closed { return .some(nil) }
                if !state.idle.contains(where: { $0 === parker }) { state.idle.append(parker) }
                return nil
            }
            if let job { return job }
            beforeWaiting()
            // Before sleeping, let the loop run a few times: when requests follow each other closely
            // (one connection, or a few), the next one is usually there after the loop's turn, and the
            // thread takes it without a futex sleep and wake-up (two context switches fewer).
            if waitBriefly() { continue }
            parker.park()
        }
    }

    /// Yields the CPU up to `spinYields` times; true as soon as a job waits.
    private func waitBriefly() -> Bool {
        for _ in 0..<Self.spinYields {
            yieldThread()
            if state.withLock({ $0.waiting > 0 || $0.closed }) { return true }
        }
        return false
    }

    static let spinYields = 1

    /// No more jobs will come: idle threads return nil.
    func close() {
        let idle = state.withLock { state -> [Parker] in
            state.closed = true
            let idle = state.idle
            state.idle.removeAll()
            return idle
        }
        idle.forEach { $0.unpark() }
    }

    /// Harakiri: takes the jobs no thread started, so the loop can answer them.
    func drainWaiting() -> [RequestJob] {
        state.withLock { state in
            let rest = Array(state.jobs[state.head...])
            state.jobs.removeAll()
            state.head = 0
            return rest
        }
    }

    /// Queued plus running: what the accept policy weighs.
    var pending: Int { state.withLock { $0.waiting + $0.running } }

    /// Some app thread finished a job less than `micros` ago: the threads turn over quickly, so a job
    /// queued now behind the running ones is taken soon.
    func finishedWithin(_ micros: Int64) -> Bool {
        let last = state.withLock { $0.lastFinish }
        return last > 0 && monotonicMicroseconds() - last < micros
    }

    /// No app thread is free for a new request.
    var allThreadsBusy: Bool { state.withLock { $0.waiting + $0.running >= threads } }
}
