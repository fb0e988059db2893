import CZlib

/// Compresses outgoing permessage-deflate messages (RFC 7692 §7.2.1) with zlib's raw deflate.
final class WebSocketDeflater {
    private let zlib: ZlibStream
    private var stream: UnsafeMutablePointer<z_stream> { zlib.stream }
    private let noContextTakeover: Bool

    /// `windowBits` 9...15 (zlib's raw deflate has no 8-bit window; negotiation never asks for one).
    /// nil when zlib cannot set up a stream (out of memory).
    init?(windowBits: Int, noContextTakeover: Bool) {
        let bits = Int32(min(15, max(9, windowBits)))
        let start = { (stream: UnsafeMutablePointer<z_stream>) in czlib_deflate_init(stream, Z_DEFAULT_COMPRESSION, -bits, 8) }
        guard let zlib = ZlibStream(start: start, end: { deflateEnd($0) }) else { return nil }
        self.zlib = zlib
        self.noContextTakeover = noContextTakeover
    }

    /// Appends the compressed form of a whole message to `output`: deflated, flushed to a byte
    /// boundary, and without the final empty block's `00 00 FF FF`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let start = output.count
        let base = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        var fed = 0
        defer { stream.pointee.next_in = nil }
        repeat {
            if stream.pointee.avail_in == 0, fed < input.count, let base {
                // zlib counts input in 32 bits: feed at most 1 GiB at a time.
                let count = min(input.count - fed, 1 << 30)
                stream.pointee.next_in = base + fed
                stream.pointee.avail_in = UInt32(count)
                fed += count
            }
            zlib.resetOutput()
            _ = deflate(stream, Z_SYNC_FLUSH)  // Z_OK, or Z_BUF_ERROR when all was flushed already
            output.append(contentsOf: UnsafeBufferPointer(start: zlib.chunk, count: zlib.produced))
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 || fed < input.count
        if output.count - start >= 4 { output.removeLast(4) }
        // Nothing new to flush (an empty message after another): an empty stored block's header byte,
        // which with the receiver's `00 00 FF FF` inflates to nothing (RFC 7692 §7.2.3.6).
        if output.count == start { output.append(0) }
        if noContextTakeover { deflateReset(stream) }
    }
}
