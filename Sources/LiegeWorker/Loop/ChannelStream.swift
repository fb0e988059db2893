import LiegeSystem

/// A `ByteStream` over the connection channel of the request being served. App threads pass their
/// parker (they may wait for the body or for the client to catch up, and wake the loop after each
/// write); the loop's own stream has none (it never waits, and flushes by itself).
final class ChannelStream: ByteStream {
    var channel: ConnectionChannel? {
        didSet { writes = 0 }
    }
    /// Writes of the current response: the first goes with the batch, later ones (a stream) at once.
    private var writes = 0
    private let parker: Parker?
    /// Told before bytes go out (harakiri answers 504 only if nothing was sent).
    private let watch: RequestWatch?

    init(parker: Parker?, watch: RequestWatch?) {
        self.parker = parker
        self.watch = watch
    }

    /// Body bytes of the request; 0 at its end.
    func readBody(into buffer: UnsafeMutableRawBufferPointer) throws(BodyFailure) -> Int {
        guard let channel, let parker else { return 0 }
        return try channel.readBody(into: buffer, parker: parker)
    }

    var bodyAwaitingData: Bool { channel?.bodyAwaitingData ?? false }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let channel else { throw StreamError.closed }
        watch?.willSend()
        writes += 1
        try channel.write(bytes, parker: parker, urgent: writes > 1)
    }

    func sendFile(descriptor: Int32, offset: Int, count: Int) throws {
        guard let channel else { throw StreamError.closed }
        watch?.willSend()
        try channel.sendFile(descriptor: descriptor, offset: offset, count: count, parker: parker)
    }

    func fileSize(descriptor: Int32) -> Int? {
        (try? Posix.fileInfo(descriptor))?.size
    }
}
