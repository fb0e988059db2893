import LiegeSystem

/// A `ByteStream` over the connection channel of the request being served. App threads pass their
/// parker (they may wait for the body or for the client to catch up, and send on the socket themselves
/// when nothing is queued ahead); the loop's own stream has none (it never waits, and flushes by itself).
final class ChannelStream: ByteStream {
    var channel: ConnectionChannel?
    private let parker: Parker?
    /// Told before bytes go out (harakiri answers 504 only if nothing was sent).
    private let watch: RequestWatch?

    /// Bytes go to the socket at once when nothing is queued ahead (a Python thread's stream; the loop's
    /// own stream queues and flushes when its turn is over).
    private let sendsDirectly: Bool

    init(parker: Parker?, watch: RequestWatch?, sendsDirectly: Bool = false) {
        self.parker = parker
        self.watch = watch
        self.sendsDirectly = sendsDirectly || parker != nil
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
        guard sendsDirectly else { return try channel.write(bytes) }
        try channel.send(bytes, parker: parker)
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
