/// Where a response goes, as `ResponseWriter` sees it. Implemented over a connection's channel by
/// `ChannelStream`, and in memory by the unit tests.
protocol ByteStream: AnyObject {
    /// Queues every byte (an app thread may wait here while the client is slow).
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Sends `count` bytes of an open file from `offset` (sendfile); the caller may close its
    /// descriptor when this returns.
    func sendFile(descriptor: Int32, offset: Int, count: Int) throws
    /// Size of an open file, for file_wrapper bodies without a declared length.
    func fileSize(descriptor: Int32) -> Int?
}

enum StreamError: Error, Equatable {
    /// The connection is gone: nothing more can be sent.
    case closed
}

extension ByteStream {
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}
