import Glibc

/// The address at one end of a connected socket.
public enum PeerAddress: Sendable, Equatable, CustomStringConvertible {
    case inet(host: String, port: Int)
    /// A unix socket; the path is empty for an unnamed peer (the usual client side).
    case unix(path: String)

    /// `host` for TCP ("127.0.0.1", "::1"), the path (or "") for unix: what goes into REMOTE_ADDR.
    public var host: String {
        switch self {
        case .inet(let host, _): return host
        case .unix(let path): return path
        }
    }

    /// The port for TCP, 0 for unix.
    public var port: Int {
        if case .inet(_, let port) = self { return port }
        return 0
    }

    public var description: String {
        switch self {
        case .inet(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): return path.isEmpty ? "unix" : path
        }
    }

    /// Decodes a sockaddr filled by accept/getsockname/getpeername.
    init(storage: sockaddr_storage, length: socklen_t) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: &storage) { raw in
                var address = raw.load(as: sockaddr_in.self)
                return .inet(host: Self.text(AF_INET, &address.sin_addr), port: Int(UInt16(bigEndian: address.sin_port)))
            }
        case AF_INET6:
            self = withUnsafeBytes(of: &storage) { raw in
                var address = raw.load(as: sockaddr_in6.self)
                return .inet(host: Self.text(AF_INET6, &address.sin6_addr), port: Int(UInt16(bigEndian: address.sin6_port)))
            }
        case AF_UNIX:
            self = withUnsafeBytes(of: &storage) { raw in
                let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
                let count = max(0, Int(length) - pathOffset)
                let bytes = Array(raw[pathOffset..<min(raw.count, pathOffset + count)])
                if bytes.first == 0, bytes.count > 1 {   // abstract: "@name"
                    return .unix(path: "@" + String(decoding: bytes.dropFirst(), as: UTF8.self))
                }
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return .unix(path: String(decoding: bytes[0..<end], as: UTF8.self))
            }
        default:
            self = .unix(path: "")
        }
    }

    /// inet_ntop of an in_addr / in6_addr.
    private static func text(_ family: Int32, _ address: UnsafeRawPointer) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        inet_ntop(family, address, &text, socklen_t(text.count))
        return string(fromNulTerminated: text)
    }

    static func local(of fd: Int32) throws(SystemError) -> PeerAddress {
        try query("getsockname", fd, getsockname)
    }

    static func remote(of fd: Int32) throws(SystemError) -> PeerAddress {
        try query("getpeername", fd, getpeername)
    }

    private static func query(
        _ name: String, _ fd: Int32, _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> PeerAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try checked("\(name) \(fd)") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, &length) }
            }
        }
        return PeerAddress(storage: storage, length: length)
    }
}
