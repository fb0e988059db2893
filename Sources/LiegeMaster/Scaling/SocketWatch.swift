import Dispatch
import LiegeSystem

/// Cheap mode's ear on the listening sockets: one read source per socket, on a close-on-exec duplicate
/// of it (so the master may close the original whenever it likes), calling `arrived` on `queue` when a
/// connection waits. It never accepts: the connection stays in the kernel's backlog for the workers.
/// The first event cancels the watch (the sockets stay readable until a worker accepts).
final class SocketWatch {
    private var sources: [DispatchSourceRead] = []

    init(fds: [Int32], queue: DispatchQueue, arrived: @escaping @Sendable () -> Void) throws(SystemError) {
        for fd in fds {
            let copy = try Posix.duplicate(fd, atLeast: 3)
            let source = DispatchSource.makeReadSource(fileDescriptor: copy, queue: queue)
            source.setEventHandler(handler: arrived)
            source.setCancelHandler { Posix.close(copy) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
        sources.removeAll()
    }

    deinit {
        cancel()
    }
}
