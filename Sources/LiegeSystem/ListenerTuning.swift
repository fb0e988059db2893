import Glibc

extension Connection {
    /// TCP_DEFER_ACCEPT on a listening socket: `accept` hands over a connection only once its first bytes
    /// have arrived (or after about `seconds`), so a worker never blocks in `read` right after accepting
    /// (one sleep and wake-up less per connection). uWSGI sets it on its TCP sockets by default too.
    public func setDeferAccept(seconds: Int) throws(SystemError) {
        var value = Int32(clamping: seconds)
        if setsockopt(fd, Int32(IPPROTO_TCP), TCP_DEFER_ACCEPT, &value, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw SystemError(call: "setsockopt TCP_DEFER_ACCEPT \(fd)", errno: errno)
        }
    }

    /// Whether TCP_NODELAY is set on this socket.
    public var hasNoDelay: Bool {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &size) == 0 && value != 0
    }
}
