/// The connection as the request code sees it: blocking reads and writes with the socket's timeouts.
/// Implemented over a real socket by `SocketStream`, and in memory by the unit tests.
protocol ByteStream: AnyObject {
    /// Reads what is available (blocking until something is); 0 = the peer closed.
    /// Throws `StreamError.timedOut` when the read timeout passed with nothing read.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes every byte (blocking).
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Sends `count` bytes of an open file from `offset` (sendfile).
    func sendFile(descriptor: Int32, offset: Int, count: Int) throws
    /// Size of an open file, for file_wrapper bodies without a declared length.
    func fileSize(descriptor: Int32) -> Int?
    /// Sets how long a read may wait (socket-timeout, or http-keepalive between requests).
    func setReadTimeout(seconds: Int)
}

enum StreamError: Error, Equatable {
    case timedOut
    case closed
}

extension ByteStream {
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}
