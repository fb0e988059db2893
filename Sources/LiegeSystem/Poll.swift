import Glibc

/// What `Posix.poll` waits for and reports.
public struct PollEvents: OptionSet, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let readable = PollEvents(rawValue: Int16(POLLIN))
    public static let writable = PollEvents(rawValue: Int16(POLLOUT))
    /// Reported only: an error condition.
    public static let error = PollEvents(rawValue: Int16(POLLERR))
    /// Reported only: the other end hung up (a pipe's writer closed: EOF is readable too).
    public static let hangup = PollEvents(rawValue: Int16(POLLHUP))
    /// Reported only: the descriptor is not open.
    public static let invalid = PollEvents(rawValue: Int16(POLLNVAL))
}

extension Posix {
    /// poll(2): waits until one of `fds` is ready or `timeoutMilliseconds` pass (-1: forever).
    /// Returns what happened per descriptor, in order (all empty on timeout). EINTR restarts the wait.
    public static func poll(_ fds: [(fd: Int32, events: PollEvents)], timeoutMilliseconds: Int) throws(SystemError) -> [PollEvents] {
        var entries = fds.map { pollfd(fd: $0.fd, events: $0.events.rawValue, revents: 0) }
        _ = try retrying("poll") { Glibc.poll(&entries, nfds_t(entries.count), Int32(clamping: timeoutMilliseconds)) }
        return entries.map { PollEvents(rawValue: $0.revents) }
    }
}
