import LiegeSystem
import Synchronization

/// State shared by a worker's threads: the stop flag and the pipe that wakes the accept loops.
final class WorkerState: Sendable {
    private let stopping = Atomic<Bool>(false)
    let wake: (read: Int32, write: Int32)

    init() throws(SystemError) {
        wake = try Posix.pipe()
    }

    var isStopping: Bool {
        stopping.load(ordering: .acquiring)
    }

    /// Stop accepting: every accept loop wakes up and returns once its connection is done.
    func stop() {
        let (exchanged, _) = stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        if exchanged { try? Posix.writeAll(wake.write, "q") }
    }
}
