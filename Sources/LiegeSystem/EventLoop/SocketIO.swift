import CSystem
import Glibc

/// The outcome of one non-blocking socket call.
public enum IOResult: Sendable, Equatable {
    /// This many bytes moved (a read of 0 bytes is `.closed`).
    case done(Int)
    /// Nothing can move now (EAGAIN): wait for the descriptor to be ready.
    case wouldBlock
    /// Read: the peer closed its side. Write: the peer is gone (EPIPE, ECONNRESET).
    case closed
    case failed(SystemError)
}

/// Non-blocking socket calls for the worker's event loop. EINTR is retried.
public enum SocketIO {
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .done(0) }
        while true {
            let count = recv(fd, base, buffer.count, 0)
            if count > 0 { return .done(count) }
            if count == 0 { return .closed }
            if let result = classify(call: "recv", errno) { return result }
        }
    }

    /// Writes from several buffers at once (sendmsg, MSG_NOSIGNAL); may write fewer bytes than given.
    public static func write(_ fd: Int32, _ buffers: [UnsafeRawBufferPointer]) -> IOResult {
        var vectors = buffers.prefix(64).map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        while true {
            let count = vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                var message = msghdr()
                message.msg_iov = vectorBuffer.baseAddress
                message.msg_iovlen = vectorBuffer.count
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 { return .done(count) }
            if let result = classify(call: "sendmsg", errno) { return result }
        }
    }

    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .done(0) }
        while true {
            let count = send(fd, base, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .done(count) }
            if let result = classify(call: "send", errno) { return result }
        }
    }

    /// sendfile of up to `count` bytes from `offset`; `.done(0)` when the file ended.
    public static func sendFile(_ fd: Int32, file: Int32, offset: Int, count: Int) -> IOResult {
        var position = off_t(offset)
        while true {
            let sent = Glibc.sendfile(fd, file, &position, count)
            if sent >= 0 { return .done(sent) }
            if let result = classify(call: "sendfile", errno) { return result }
        }
    }

    private static func classify(call: String, _ code: Int32) -> IOResult? {
        switch code {
        case EINTR: return nil
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        case EPIPE, ECONNRESET, ENOTCONN, ETIMEDOUT: return .closed
        default: return .failed(SystemError(call: call, errno: code))
        }
    }

    /// A second descriptor for the same open file (close-on-exec), so a file can outlive its owner's close.
    public static func duplicate(_ fd: Int32) throws(SystemError) -> Int32 {
        try checked("fcntl F_DUPFD_CLOEXEC \(fd)") { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
    }

    /// Half-close: the peer reads end of stream, we can still read.
    public static func shutdownWrite(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_WR))
    }
}
