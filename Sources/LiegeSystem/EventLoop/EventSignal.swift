import CSystem
import Glibc

/// An eventfd that other threads write to wake a thread waiting in `Epoll` (non-blocking, close-on-exec).
public final class EventSignal: Sendable {
    public let fd: Int32

    public init() throws(SystemError) {
        fd = try checked("eventfd") { csystem_eventfd() }
    }

    deinit {
        Posix.close(fd)
    }

    /// Makes `fd` readable (any thread).
    public func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    /// Clears it (the waiting thread, after waking).
    public func clear() {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, 8)
    }
}
