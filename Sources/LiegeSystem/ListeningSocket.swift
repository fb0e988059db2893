import Glibc

/// A bound, listening socket (close-on-exec, non-blocking: workers poll it and `accept` returns nil when
/// another worker won the connection).
public struct ListeningSocket: Sendable {
    public let fd: Int32
    public let address: ListenAddress
    /// The backlog passed to listen(2), after clamping to `net.core.somaxconn`.
    public let backlog: Int
    /// The address as bound: the real port when port 0 was asked (`127.0.0.1:41234`), the path, `@name`.
    public let localAddressDescription: String
    /// Identity of the unix socket file we created, so `removeSocketFile` never removes someone else's.
    let fileIdentity: (device: UInt64, inode: UInt64)?

    /// Binds `address` and listens with `backlog` (clamped to `somaxconn()`).
    /// TCP gets SO_REUSEADDR; a stale unix socket file (nobody accepting on it) is replaced, a live one or
    /// a non-socket file in the way is an error.
    public static func bind(_ address: ListenAddress, backlog: Int) throws(SystemError) -> ListeningSocket {
        let target = try SocketAddress(address)
        if let path = address.filePath { try removeStaleSocketFile(path, address: address) }
        let fd = try target.makeSocket()
        do {
            if target.family != AF_UNIX {
                var one: Int32 = 1
                _ = try checked("setsockopt SO_REUSEADDR \(address)") {
                    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            _ = try checked("bind \(address)") { target.withSockaddr { Glibc.bind(fd, $0, $1) } }
            let effective = max(1, min(backlog, somaxconn()))
            _ = try checked("listen \(address)") { listen(fd, Int32(effective)) }
            try Posix.setNonBlocking(fd, true)
            var identity: (UInt64, UInt64)?
            if let path = address.filePath, let info = try Posix.fileInfo(path: path) { identity = (info.device, info.inode) }
            let local = try PeerAddress.local(of: fd)
            let description: String
            switch (address, local) {
            case (.abstract, _), (.unix, _): description = address.description
            case (_, .inet): description = local.description
            default: description = address.description
            }
            return ListeningSocket(fd: fd, address: address, backlog: effective,
                                   localAddressDescription: description, fileIdentity: identity)
        } catch {
            Posix.close(fd)
            throw error
        }
    }

    /// The actual local address (with the real port).
    public func localAddress() throws(SystemError) -> PeerAddress {
        try PeerAddress.local(of: fd)
    }

    /// `chmod-socket`: sets the permission bits of a unix socket file (no-op for other kinds).
    public func setPermissions(_ mode: Int) throws(SystemError) {
        guard let path = address.filePath else { return }
        _ = try checked("chmod \(path)") { chmod(path, mode_t(mode)) }
    }

    /// `chown-socket = user[:group]` (names or numbers) on a unix socket file (no-op for other kinds).
    public func setOwner(_ owner: String) throws(SystemError) {
        guard let path = address.filePath else { return }
        let parts = owner.split(separator: ":", maxSplits: 1).map(String.init)
        let user = try Posix.userID(parts.first ?? owner)
        let group = parts.count > 1 ? try Posix.groupID(parts[1]) : gid_t.max   // -1: unchanged
        _ = try checked("chown \(path)") { chown(path, user, group) }
    }

    /// Closes the socket (the listening queue goes away with the last holder).
    public func close() {
        Posix.close(fd)
    }

    /// `vacuum`: removes the unix socket file, only if it is still the one this socket created.
    public func removeSocketFile() {
        guard let path = address.filePath, let identity = fileIdentity,
              let info = try? Posix.fileInfo(path: path),
              info.device == identity.device, info.inode == identity.inode else { return }
        try? Posix.removeFile(path)
    }

    private static func removeStaleSocketFile(_ path: String, address: ListenAddress) throws(SystemError) {
        guard let info = try Posix.fileInfo(path: path) else { return }
        guard info.isSocket else { throw SystemError(call: "bind \(path): a file that is not a socket is in the way", errno: 0) }
        let target = try SocketAddress(address)
        let probe = try target.makeSocket()
        defer { Posix.close(probe) }
        if target.withSockaddr({ connect(probe, $0, $1) }) == 0 {
            throw SystemError(call: "bind \(path): another server is accepting on it", errno: EADDRINUSE)
        }
        try Posix.removeFile(path)
    }
}

/// `net.core.somaxconn`, the kernel's ceiling for listen backlogs (4096 if unreadable).
public func somaxconn() -> Int {
    guard let bytes = try? Posix.readFile("/proc/sys/net/core/somaxconn"),
          let value = Int(String(decoding: bytes.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)) else { return 4096 }
    return value
}
