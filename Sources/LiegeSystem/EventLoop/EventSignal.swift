import CSystem
import Glibc

/// An eventfd that other threads write to wake a thread waiting in `Epoll` (non-blocking, close-on-exec);
/// registered edge-triggered it is never read, watched level-triggered (asyncio's selector) it is
/// drained by the waiter.
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

    /// Makes `fd` unreadable again (the waiter, before it looks at what was posted).
    public func drain() {
        var count: UInt64 = 0
        _ = Glibc.read(fd, &count, 8)
    }
}
