import CZlib

/// Compresses outgoing permessage-deflate messages (RFC 7692 §7.2.1) with zlib's raw deflate.
final class WebSocketDeflater {
    private static let chunkSize = 16 * 1024

    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutablePointer<UInt8>
    private let noContextTakeover: Bool

    /// `windowBits` 9...15 (zlib's raw deflate has no 8-bit window; negotiation never asks for one).
    /// nil when zlib cannot set up a stream (out of memory).
    init?(windowBits: Int, noContextTakeover: Bool) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let bits = Int32(min(15, max(9, windowBits)))
        guard czlib_deflate_init(stream, Z_DEFAULT_COMPRESSION, -bits, 8) == Z_OK else {
            stream.deallocate()
            return nil
        }
        chunk = .allocate(capacity: Self.chunkSize)
        self.noContextTakeover = noContextTakeover
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        chunk.deallocate()
    }

    /// Appends the compressed form of a whole message to `output`: deflated, flushed to a byte
    /// boundary, and without the final empty block's `00 00 FF FF`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let start = output.count
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(input.count)
        defer { stream.pointee.next_in = nil }
        repeat {
            stream.pointee.next_out = chunk
            stream.pointee.avail_out = UInt32(Self.chunkSize)
            _ = deflate(stream, Z_SYNC_FLUSH)  // Z_OK, or Z_BUF_ERROR when all was flushed already
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: Self.chunkSize - Int(stream.pointee.avail_out)))
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
        if output.count - start >= 4 { output.removeLast(4) }
        if noContextTakeover { deflateReset(stream) }
    }
}
