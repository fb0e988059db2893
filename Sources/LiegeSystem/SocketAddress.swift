import Glibc

/// A `ListenAddress` resolved into the sockaddr bytes bind/connect take.
struct SocketAddress {
    var family: Int32
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    init(_ address: ListenAddress) throws(SystemError) {
        switch address {
        case .tcp(let host, let port):
            family = AF_INET
            var inet = sockaddr_in()
            inet.sin_family = sa_family_t(AF_INET)
            inet.sin_port = UInt16(port).bigEndian
            inet.sin_addr = try Self.ipv4(host, address: address)
            store(inet)
        case .tcp6(let host, let port):
            family = AF_INET6
            var inet6 = sockaddr_in6()
            inet6.sin6_family = sa_family_t(AF_INET6)
            inet6.sin6_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET6, host, &inet6.sin6_addr) == 1 else {
                throw SystemError(call: "bind \(address): not an IPv6 address", errno: EINVAL)
            }
            store(inet6)
        case .unix(let path):
            family = AF_UNIX
            try storeUnix(Array(path.utf8), address: address)
        case .abstract(let name):
            family = AF_UNIX
            try storeUnix([0] + Array(name.utf8), address: address)
        }
    }

    /// A new close-on-exec stream socket of this address's family.
    func makeSocket() throws(SystemError) -> Int32 {
        try checked("socket") { socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    /// Calls `body` with the sockaddr pointer and its length.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var copy = storage
        return withUnsafePointer(to: &copy) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }

    private mutating func store<T>(_ value: T) {
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: value, as: T.self) }
        length = socklen_t(MemoryLayout<T>.size)
    }

    /// Path bytes (a leading 0 for abstract names, which are not NUL-terminated).
    private mutating func storeUnix(_ path: [UInt8], address: ListenAddress) throws(SystemError) {
        var unix = sockaddr_un()
        unix.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: unix.sun_path)
        guard path.count < capacity else { throw SystemError(call: "bind \(address): path too long", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &unix.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        store(unix)
        // Abstract names count exactly their bytes; paths include the terminating NUL.
        length = socklen_t(pathOffset + path.count + (path.first == 0 ? 0 : 1))
    }

    /// A dotted quad, or a host name resolved to its first IPv4 address (e.g. `localhost`).
    private static func ipv4(_ host: String, address: ListenAddress) throws(SystemError) -> in_addr {
        var result = in_addr()
        if inet_pton(AF_INET, host, &result) == 1 { return result }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list, let raw = first.pointee.ai_addr else {
            throw SystemError(call: "bind \(address): cannot resolve host \"\(host)\"", errno: 0)
        }
        defer { freeaddrinfo(list) }
        return UnsafeRawPointer(raw).load(as: sockaddr_in.self).sin_addr
    }
}
