import LiegeSystem

/// A `ByteStream` over an accepted connection.
final class SocketStream: ByteStream {
    let connection: Connection
    private var timeout: Int
    /// Told before bytes go out (harakiri answers 504 only if nothing was sent).
    private let watch: RequestWatch?

    /// `inheritedTimeout`: the timeout the connection already has from its listener (TCP sockets
    /// inherit SO_RCVTIMEO/SO_SNDTIMEO from the listening socket on Linux), or nil when unknown.
    init(connection: Connection, inheritedTimeout: Int?, watch: RequestWatch? = nil) {
        self.connection = connection
        timeout = inheritedTimeout ?? -1
        self.watch = watch
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try connection.read(into: buffer)
        } catch {
            if error.isTimeout { throw StreamError.timedOut }
            throw StreamError.closed
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        watch?.willSend()
        do {
            try connection.writeAll(bytes)
        } catch {
            throw StreamError.closed
        }
    }

    func sendFile(descriptor: Int32, offset: Int, count: Int) throws {
        watch?.willSend()
        do {
            try connection.sendfile(file: descriptor, offset: offset, count: count)
        } catch {
            throw StreamError.closed
        }
    }

    func fileSize(descriptor: Int32) -> Int? {
        (try? Posix.fileInfo(descriptor))?.size
    }

    func setReadTimeout(seconds: Int) {
        guard seconds != timeout else { return }
        timeout = seconds
        try? connection.setTimeouts(seconds: seconds)
    }
}
