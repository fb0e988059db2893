import CSystem
import Glibc

/// One accepted client connection with blocking I/O (one thread serves it at a time).
/// Writes use MSG_NOSIGNAL; for `sendfile` the process should call `Posix.ignoreBrokenPipe()` once.
public struct Connection: Sendable {
    public let fd: Int32
    public let peer: PeerAddress

    public init(fd: Int32, peer: PeerAddress) {
        self.fd = fd
        self.peer = peer
    }

    /// accept4(SOCK_CLOEXEC, and SOCK_NONBLOCK for the worker's event loop) on a (non-blocking)
    /// listening socket; nil when no connection is waiting (EAGAIN: another worker took it;
    /// ECONNABORTED, EPROTO: the client gave up already).
    public static func accept(_ listenerFD: Int32, nonBlocking: Bool = false) throws(SystemError) -> Connection? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let fd = withUnsafeMutablePointer(to: &storage) {
                nonBlocking ? csystem_accept4_nonblock_peer(listenerFD, $0, &length)
                    : csystem_accept4_cloexec_peer(listenerFD, $0, &length)
            }
            if fd >= 0 { return Connection(fd: fd, peer: PeerAddress(storage: storage, length: length)) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO: return nil
            default: throw SystemError(call: "accept4 \(listenerFD)", errno: errno)
            }
        }
    }

    /// A blocking client connection to `address` (tests, health checks, the stats client).
    public static func connect(to address: ListenAddress) throws(SystemError) -> Connection {
        let target = try SocketAddress(address)
        let fd = try target.makeSocket()
        do {
            _ = try retrying("connect \(address)") { target.withSockaddr { Glibc.connect(fd, $0, $1) } }
            return Connection(fd: fd, peer: (try? PeerAddress.remote(of: fd)) ?? .unix(path: address.description))
        } catch {
            Posix.close(fd)
            throw error
        }
    }

    /// One read: the byte count, 0 when the peer closed. A timeout (see `setTimeouts`) throws an error
    /// with `isTimeout`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try Posix.read(fd, into: buffer)
    }

    /// Sends every byte (send with MSG_NOSIGNAL, short writes retried).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            offset += try retrying("send \(fd)") { send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Sends `head` then `body` with as few syscalls as possible (sendmsg of two iovecs, then the rest).
    public func writeAll(_ head: UnsafeRawBufferPointer, _ body: UnsafeRawBufferPointer) throws(SystemError) {
        let total = head.count + body.count
        var sent = 0
        while sent < head.count {
            var vectors = [
                iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress.map { $0 + sent }), iov_len: head.count - sent),
                iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count),
            ]
            let count = vectors[1].iov_len == 0 ? 1 : 2
            sent += try retrying("sendmsg \(fd)") {
                vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                    var message = msghdr()
                    message.msg_iov = vectorBuffer.baseAddress
                    message.msg_iovlen = count
                    return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                }
            }
        }
        if sent < total {
            try writeAll(UnsafeRawBufferPointer(rebasing: body[(sent - head.count)...]))
        }
    }

    /// Sends `count` bytes of `fileFD` from `offset` (sendfile, looping); returns the bytes sent, fewer
    /// only if the file ended first.
    @discardableResult
    public func sendfile(file fileFD: Int32, offset: Int, count: Int) throws(SystemError) -> Int {
        var position = off_t(offset)
        var sent = 0
        while sent < count {
            let chunk = try retrying("sendfile \(fd)") { Glibc.sendfile(fd, fileFD, &position, count - sent) }
            if chunk == 0 { break }
            sent += chunk
        }
        return sent
    }

    /// SO_RCVTIMEO and SO_SNDTIMEO: a read or write waiting longer throws an error with `isTimeout`.
    /// 0 means no limit.
    public func setTimeouts(seconds: Int) throws(SystemError) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = try checked("setsockopt SO_RCVTIMEO \(fd)") { setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size) }
        _ = try checked("setsockopt SO_SNDTIMEO \(fd)") { setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size) }
    }

    /// TCP_NODELAY for TCP connections (a no-op on unix sockets).
    public func setNoDelay() throws(SystemError) {
        guard case .inet = peer else { return }
        try setTCPNoDelay()
    }

    /// TCP_NODELAY whatever `peer` says, for a socket known to be TCP. On a listening socket (whose peer
    /// is unknown) Linux copies it to every connection `accept` returns, so each small write (a WebSocket
    /// message, a streamed chunk) goes out at once instead of waiting for the ACK of the previous one,
    /// which a client may delay by up to 40 ms.
    public func setTCPNoDelay() throws(SystemError) {
        var one: Int32 = 1
        _ = try checked("setsockopt TCP_NODELAY \(fd)") {
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Half-close: the peer reads end of stream, we can still read.
    public func shutdownWrite() {
        SocketIO.shutdownWrite(fd)
    }

    public func close() {
        Posix.close(fd)
    }

    /// Our end of the connection (SERVER_NAME/SERVER_PORT).
    public func localAddress() throws(SystemError) -> PeerAddress {
        try PeerAddress.local(of: fd)
    }
}
