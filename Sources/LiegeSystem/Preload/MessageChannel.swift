import CSystem
import Glibc

/// One end of a local datagram-like pipe between two processes (an `AF_UNIX` `SOCK_SEQPACKET` pair, so
/// each `send` arrives as one `receive`), able to carry descriptors along with the bytes (SCM_RIGHTS).
/// The master and a preloader talk over one (fork requests with the new worker's lifeline and log pipe,
/// replies with its pid). Both ends are close-on-exec, received descriptors too.
public struct MessageChannel: Sendable {
    /// One message: its bytes and the descriptors that came with it (now owned by the receiver).
    public struct Message: Sendable, Equatable {
        public var bytes: [UInt8]
        public var descriptors: [Int32]

        public init(bytes: [UInt8], descriptors: [Int32] = []) {
            self.bytes = bytes
            self.descriptors = descriptors
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    public let fd: Int32

    public init(fd: Int32) {
        self.fd = fd
    }

    /// Both ends of a new channel.
    public static func pair() throws(SystemError) -> (MessageChannel, MessageChannel) {
        var fds: [Int32] = [-1, -1]
        _ = try checked("socketpair") { csystem_socketpair_seqpacket(&fds) }
        return (MessageChannel(fd: fds[0]), MessageChannel(fd: fds[1]))
    }

    /// Sends `text` with `descriptors` attached (at most 8; the sender keeps its own copies).
    public func send(_ text: String, descriptors: [Int32] = []) throws(SystemError) {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { buffer in
            descriptors.withUnsafeBufferPointer { fds in
                csystem_send_with_fds(fd, buffer.baseAddress, UInt(buffer.count), fds.baseAddress, Int32(fds.count))
            }
        }
        if sent < 0 { throw SystemError(call: "sendmsg \(fd)", errno: errno) }
    }

    /// The next message (blocking unless the descriptor is non-blocking); nil when the other end is closed.
    public func receive(maximumBytes: Int = 4096) throws(SystemError) -> Message? {
        var bytes = [UInt8](repeating: 0, count: maximumBytes)
        var fds = [Int32](repeating: -1, count: 8)
        var count: Int32 = 0
        let capacity = Int32(fds.count)
        let got = bytes.withUnsafeMutableBytes { buffer in
            fds.withUnsafeMutableBufferPointer { descriptors in
                csystem_receive_with_fds(fd, buffer.baseAddress, UInt(buffer.count), descriptors.baseAddress, capacity, &count)
            }
        }
        if got < 0 { throw SystemError(call: "recvmsg \(fd)", errno: errno) }
        let received = Array(fds.prefix(Int(count)))
        guard got > 0 || !received.isEmpty else { return nil }
        return Message(bytes: Array(bytes.prefix(got)), descriptors: received)
    }

    /// Waits at most `milliseconds` for a message (or the other end closing); false on timeout.
    public func waitReadable(milliseconds: Int) throws(SystemError) -> Bool {
        let events = try Posix.poll([(fd, .readable)], timeoutMilliseconds: milliseconds)
        return !(events.first ?? []).isEmpty
    }

    public func close() {
        Posix.close(fd)
    }
}
