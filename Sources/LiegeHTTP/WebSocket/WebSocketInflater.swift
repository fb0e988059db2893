import CZlib

/// Decompresses permessage-deflate messages (RFC 7692 §7.2.2) with zlib's raw inflate.
///
/// The window is always 2^15 bytes whatever `client_max_window_bits` said: a larger window decodes
/// every stream a smaller one produced, and zlib clients asked for 8 bits really use 9.
final class WebSocketInflater {
    enum Outcome: Equatable {
        case inflated
        /// The message would exceed the limit; nothing past the limit was kept.
        case tooBig
        /// Not a valid deflate stream.
        case invalid
    }

    /// The empty stored block RFC 7692 strips from every message's end and the receiver puts back.
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    private let zlib: ZlibStream
    private var stream: UnsafeMutablePointer<z_stream> { zlib.stream }
    private let noContextTakeover: Bool

    /// nil when zlib cannot set up a stream (out of memory).
    init?(noContextTakeover: Bool) {
        guard let zlib = ZlibStream(start: { czlib_inflate_init($0, -15) }, end: { inflateEnd($0) }) else { return nil }
        self.zlib = zlib
        self.noContextTakeover = noContextTakeover
    }

    /// Inflates the next piece of a message's compressed payload onto `message`, which may not
    /// grow past `limit` bytes (checked after each 16 KiB of output, before it is appended).
    func inflate(_ input: UnsafeRawBufferPointer, into message: inout [UInt8], limit: Int) -> Outcome {
        guard let base = input.baseAddress, !input.isEmpty else { return .inflated }
        if input.count > 1 << 30 {  // zlib counts input in 32 bits
            for sliceStart in stride(from: 0, to: input.count, by: 1 << 30) {
                let slice = UnsafeRawBufferPointer(rebasing: input[sliceStart..<min(input.count, sliceStart + (1 << 30))])
                let outcome = inflate(slice, into: &message, limit: limit)
                guard outcome == .inflated else { return outcome }
            }
            return .inflated
        }
        stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(input.count)
        defer { stream.pointee.next_in = nil }
        while true {
            zlib.resetOutput()
            let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
            let produced = zlib.produced
            if produced > 0 {
                guard message.count + produced <= limit else { return .tooBig }
                BoundedGrowth.reserve(&message, adding: produced, limit: limit)
                message.append(contentsOf: UnsafeBufferPointer(start: zlib.chunk, count: produced))
            }
            switch status {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: restartKeepingWindow()  // a block with BFINAL set: the peer may go on
            default: return .invalid
            }
            if stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 { return .inflated }
        }
    }

    /// Ends a message: inflates the stripped tail, then forgets the window when the client
    /// said it compresses each message on its own (`client_no_context_takeover`).
    func finishMessage(into message: inout [UInt8], limit: Int) -> Outcome {
        let outcome = Self.tail.withUnsafeBytes { inflate($0, into: &message, limit: limit) }
        if noContextTakeover { inflateReset(stream) }
        return outcome
    }

    /// After the end of a deflate stream, start a new one that can still refer to the last 32 KiB.
    private func restartKeepingWindow() {
        if noContextTakeover {
            inflateReset(stream)
            return
        }
        var window = [UInt8](repeating: 0, count: 32 * 1024)
        var length: UInt32 = 0
        inflateGetDictionary(stream, &window, &length)
        inflateReset(stream)
        if length > 0 { inflateSetDictionary(stream, window, length) }
    }
}
