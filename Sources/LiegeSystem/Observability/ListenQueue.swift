import Glibc

/// How many connections wait in a listening socket's accept queue, from the kernel (SPEC.md §7 `listen_queue`).
///
/// TCP: getsockopt(TCP_INFO) on the listener, whose `tcpi_unacked` is the accept queue length and
/// `tcpi_sacked` its limit. Unix: /proc/net/unix does not show the queue, so one sock_diag netlink request
/// (UNIX_DIAG_RQLEN) asks for the listener by inode. Both are a syscall or two per stats request, never on
/// the request path.
public enum ListenQueue {
    /// Connections waiting and the queue's limit; nil when the kernel does not say (e.g. not a listener).
    public static func depth(of fd: Int32) -> (waiting: Int, limit: Int)? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let family = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard family == 0 else { return nil }
        switch Int32(address.ss_family) {
        case AF_INET, AF_INET6: return tcpDepth(fd)
        case AF_UNIX: return unixDepth(fd)
        default: return nil
        }
    }

    private static func tcpDepth(_ fd: Int32) -> (waiting: Int, limit: Int)? {
        var info = tcp_info()
        var size = socklen_t(MemoryLayout<tcp_info>.size)
        guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &size) == 0 else { return nil }
        return (Int(info.tcpi_unacked), Int(info.tcpi_sacked))
    }

    // linux/netlink.h, linux/sock_diag.h, linux/unix_diag.h (not in Swift's Glibc module).
    private static let netlinkSockDiag: Int32 = 4
    private static let sockDiagByFamily: UInt16 = 20
    private static let netlinkRequest: UInt16 = 1
    private static let netlinkError: UInt16 = 2
    private static let unixDiagShowRQLen: UInt32 = 1 << 4
    private static let unixDiagRQLen: UInt16 = 4
    private static let listenState: UInt32 = 10   // TCP_LISTEN

    private static func unixDepth(_ fd: Int32) -> (waiting: Int, limit: Int)? {
        guard let inode = try? Posix.fileInfo(fd).inode else { return nil }
        let netlink = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard netlink >= 0 else { return nil }
        defer { Glibc.close(netlink) }
        var one = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(netlink, SOL_SOCKET, SO_RCVTIMEO, &one, socklen_t(MemoryLayout<timeval>.size))
        var request = ByteWriter()
        request.u32(16 + 24)                 // nlmsghdr: length, type, flags, seq, pid
        request.u16(sockDiagByFamily)
        request.u16(netlinkRequest)
        request.u32(1)
        request.u32(0)
        request.u8(UInt8(AF_UNIX))           // unix_diag_req: family, protocol, pad, states, ino, show, cookie
        request.u8(0)
        request.u16(0)
        request.u32(1 << listenState)
        request.u32(UInt32(truncatingIfNeeded: inode))
        request.u32(unixDiagShowRQLen)
        request.u32(UInt32.max)
        request.u32(UInt32.max)
        let sent = request.bytes.withUnsafeBytes { send(netlink, $0.baseAddress, $0.count, 0) }
        guard sent == request.bytes.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 4096)
        let received = reply.withUnsafeMutableBytes { recv(netlink, $0.baseAddress, $0.count, 0) }
        guard received >= 32 else { return nil }
        return parseUnixDiagReply(Array(reply[0..<received]))
    }

    /// The (rqueue, wqueue) attribute of a sock_diag reply; for a listener: waiting connections, backlog.
    static func parseUnixDiagReply(_ reply: [UInt8]) -> (waiting: Int, limit: Int)? {
        func u16(_ at: Int) -> UInt16 { UInt16(reply[at]) | UInt16(reply[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        guard reply.count >= 32, u16(4) == sockDiagByFamily else { return nil }
        let end = min(reply.count, Int(u32(0)))
        var offset = 16 + 16                 // nlmsghdr + unix_diag_msg
        while offset + 4 <= end {
            let length = Int(u16(offset))
            guard length >= 4 else { return nil }
            if u16(offset + 2) == unixDiagRQLen, length >= 12, offset + 12 <= end {
                return (Int(u32(offset + 4)), Int(u32(offset + 8)))
            }
            offset += (length + 3) & ~3
        }
        return nil
    }
}

/// Little-endian byte building for netlink messages.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    mutating func u32(_ value: UInt32) { u16(UInt16(value & 0xFFFF)); u16(UInt16(value >> 16)) }
}
