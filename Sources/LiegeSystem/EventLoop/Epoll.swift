import CSystem
import Glibc

/// What a descriptor in an `Epoll` set waits for, and what `wait` reports (level-triggered).
/// The values are Linux's EPOLL* constants (Swift's Glibc module does not import them).
public struct EpollEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = EpollEvents(rawValue: 0x001)
    public static let writable = EpollEvents(rawValue: 0x004)
    /// The peer shut its sending side down (or closed): reported even while not waiting for `readable`.
    public static let readHangup = EpollEvents(rawValue: 0x2000)
    /// Reported only: both directions are gone.
    public static let hangup = EpollEvents(rawValue: 0x010)
    /// Edge-triggered: reported once per change (for an eventfd: once per write, so it never needs reading).
    public static let edgeTriggered = EpollEvents(rawValue: 1 << 31)
    /// Reported once, then the descriptor stays in the set unarmed until `modify` arms it again.
    public static let oneShot = EpollEvents(rawValue: 1 << 30)
    /// Reported only: an error is pending on the descriptor.
    public static let error = EpollEvents(rawValue: 0x008)
}

/// One epoll instance: descriptors registered with a 64-bit token, waited on in batches.
public final class Epoll {
    public let fd: Int32
    private var tokens: [UInt64]
    private var events: [UInt32]

    public init(batchSize: Int = 256) throws(SystemError) {
        fd = try checked("epoll_create1") { csystem_epoll_create() }
        tokens = [UInt64](repeating: 0, count: min(batchSize, 256))
        events = [UInt32](repeating: 0, count: min(batchSize, 256))
    }

    deinit {
        Posix.close(fd)
    }

    public func add(_ descriptor: Int32, _ interest: EpollEvents, token: UInt64) throws(SystemError) {
        _ = try checked("epoll_ctl add \(descriptor)") {
            csystem_epoll_ctl(fd, 1, descriptor, interest.rawValue, token)
        }
    }

    public func modify(_ descriptor: Int32, _ interest: EpollEvents, token: UInt64) throws(SystemError) {
        _ = try checked("epoll_ctl mod \(descriptor)") {
            csystem_epoll_ctl(fd, 3, descriptor, interest.rawValue, token)
        }
    }

    /// Removes a descriptor (closing it removes it too).
    public func remove(_ descriptor: Int32) {
        _ = csystem_epoll_ctl(fd, 2, descriptor, 0, 0)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` for each ready descriptor.
    /// EINTR counts as a wake-up with nothing ready.
    public func wait(timeoutMilliseconds: Int, _ body: (UInt64, EpollEvents) -> Void) throws(SystemError) {
        let timeout = Int32(clamping: timeoutMilliseconds)
        let count = tokens.withUnsafeMutableBufferPointer { tokenBuffer in
            events.withUnsafeMutableBufferPointer { eventBuffer in
                csystem_epoll_wait(fd, tokenBuffer.baseAddress, eventBuffer.baseAddress, Int32(tokenBuffer.count), timeout)
            }
        }
        if count < 0 {
            if errno == EINTR { return }
            throw SystemError(call: "epoll_wait", errno: errno)
        }
        for index in 0..<Int(count) {
            body(tokens[index], EpollEvents(rawValue: events[index]))
        }
    }
}
