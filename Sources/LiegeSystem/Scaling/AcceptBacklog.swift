/// Connections waiting in listening sockets' accept queues, for cheap mode and `cheaper-algo = backlog`
/// (SPEC.md §8). The count comes from the kernel through `ListenQueue` (TCP_INFO; sock_diag for unix
/// sockets); whether any connection waits is one poll(2) with no wait. Neither accepts anything.
public enum AcceptBacklog {
    /// Connections waiting on listening socket `fd`; nil when the kernel does not say.
    public static func waiting(on fd: Int32) -> Int? {
        ListenQueue.depth(of: fd)?.waiting
    }

    /// Whether a connection waits on any of `fds` (poll, no wait, no accept).
    public static func anyWaiting(_ fds: [Int32]) -> Bool {
        guard !fds.isEmpty, let events = try? Posix.poll(fds.map { ($0, PollEvents.readable) }, timeoutMilliseconds: 0) else {
            return false
        }
        return events.contains { $0.contains(.readable) }
    }
}
