import Glibc

/// A failed system call: which call (with its argument where that helps) and the errno it set.
///
/// `description` reads `bind 127.0.0.1:80: Permission denied (errno 13)`. Callers outside this target
/// cannot see errno names, so the conditions they act on are properties (`isTimeout`, `isPeerGone`).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        guard errno != 0 else { return call }
        return "\(call): \(String(cString: strerror(errno))) (errno \(errno))"
    }

    /// A read or write on a socket with `setTimeouts` ran out of time (EAGAIN/EWOULDBLOCK).
    public var isTimeout: Bool { errno == EAGAIN || errno == EWOULDBLOCK }

    /// The other side went away (EPIPE, ECONNRESET): nothing more can be sent or read.
    public var isPeerGone: Bool { errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN }

    /// The file or directory does not exist (ENOENT).
    public var isNotFound: Bool { errno == ENOENT }

    /// The process may not open the file or enter a directory on its path (EACCES, EPERM).
    public var isPermissionDenied: Bool { errno == EACCES || errno == EPERM }

    /// The address is already taken (EADDRINUSE).
    public var isAddressInUse: Bool { errno == EADDRINUSE }
}

/// The errno-checked call pattern of swift-nio's `Posix`: runs `body` until it stops failing with EINTR,
/// throws `SystemError(call, errno)` for any other failure (a result of -1), returns the result otherwise.
@inline(__always)
func retrying<Result: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> Result) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(call: call(), errno: code)
    }
}

/// For calls that do not retry (close, kill, ...): throws on -1.
@inline(__always)
func checked<Result: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> Result) throws(SystemError) -> Result {
    let result = body()
    if result == -1 { throw SystemError(call: call(), errno: Glibc.errno) }
    return result
}
