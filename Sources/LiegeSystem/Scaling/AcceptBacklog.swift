import Glibc

/// Connections waiting in a listening socket's accept queue, as the kernel counts them (for
/// `cheaper-algo = backlog`, SPEC.md §8). TCP: `getsockopt(TCP_INFO)`, whose `tcpi_unacked` is the
/// accept queue of a listener. Unix: one `sock_diag` netlink request for the socket's inode with
/// `UNIX_DIAG_RQLEN` (/proc/net/unix does not show queue lengths). A syscall or two, once a second,
/// and only with that algorithm.
public enum AcceptBacklog {
    /// Connections waiting on listening socket `fd`; nil when the kernel does not say.
    public static func waiting(on fd: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        switch Int32(address.ss_family) {
        case AF_INET, AF_INET6:
            var info = tcp_info()
            var size = socklen_t(MemoryLayout<tcp_info>.size)
            guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &size) == 0 else { return nil }
            return Int(info.tcpi_unacked)
        case AF_UNIX:
            guard let inode = try? Posix.fileInfo(fd).inode else { return nil }
            return unixQueue(inode: UInt32(truncatingIfNeeded: inode))
        default:
            return nil
        }
    }

    // From linux/netlink.h, sock_diag.h and unix_diag.h (not in Swift's Glibc module).
    private static let netlinkSockDiag: Int32 = 4
    private static let sockDiagByFamily: UInt16 = 20
    private static let requestFlag: UInt16 = 1
    private static let showRQLen: UInt32 = 1 << 4
    private static let rqLenAttribute: UInt16 = 4
    private static let listening: UInt32 = 1 << 10

    private static func unixQueue(inode: UInt32) -> Int? {
        let netlink = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard netlink >= 0 else { return nil }
        defer { Glibc.close(netlink) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(netlink, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // nlmsghdr (16 bytes) + unix_diag_req (24 bytes), little-endian.
        var request: [UInt8] = []
        func put16(_ value: UInt16) { request += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func put32(_ value: UInt32) { put16(UInt16(value & 0xFFFF)); put16(UInt16(value >> 16)) }
        put32(40); put16(sockDiagByFamily); put16(requestFlag); put32(1); put32(0)
        request += [UInt8(AF_UNIX), 0, 0, 0]
        put32(listening); put32(inode); put32(showRQLen); put32(UInt32.max); put32(UInt32.max)
        let sent = request.withUnsafeBytes { send(netlink, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 4096)
        let received = reply.withUnsafeMutableBytes { recv(netlink, $0.baseAddress, $0.count, 0) }
        guard received > 0 else { return nil }
        return rqLen(inReply: Array(reply[0..<received]))
    }

    /// The first value of the `UNIX_DIAG_RQLEN` attribute of a sock_diag reply (for a listener: the
    /// connections waiting to be accepted); nil when the reply has none.
    public static func rqLen(inReply reply: [UInt8]) -> Int? {
        func u16(_ at: Int) -> Int { Int(reply[at]) | Int(reply[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard reply.count >= 32, u16(4) == Int(sockDiagByFamily) else { return nil }
        let end = min(reply.count, u32(0))
        var offset = 32   // nlmsghdr + unix_diag_msg
        while offset + 4 <= end {
            let length = u16(offset)
            guard length >= 4 else { return nil }
            if u16(offset + 2) == Int(rqLenAttribute), length >= 12, offset + 12 <= end { return u32(offset + 4) }
            offset += (length + 3) & ~3
        }
        return nil
    }

    /// Whether a connection waits on any of `fds` (poll, no wait, no accept).
    public static func anyWaiting(_ fds: [Int32]) -> Bool {
        guard !fds.isEmpty, let events = try? Posix.poll(fds.map { ($0, PollEvents.readable) }, timeoutMilliseconds: 0) else {
            return false
        }
        return events.contains { $0.contains(.readable) }
    }
}
