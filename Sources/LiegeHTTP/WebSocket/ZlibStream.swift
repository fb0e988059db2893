import CZlib

/// A zlib stream at a fixed address (zlib keeps a pointer back to it) and a 16 KiB output
/// buffer, both freed with the stream. Shared by `WebSocketDeflater` and `WebSocketInflater`.
final class ZlibStream {
    static let chunkSize = 16 * 1024

    let stream: UnsafeMutablePointer<z_stream>
    /// Where each zlib call writes its output before it is copied out.
    let chunk: UnsafeMutablePointer<UInt8>
    private let end: (UnsafeMutablePointer<z_stream>) -> Int32

    /// nil when `start` (deflateInit2 or inflateInit2) fails, which means out of memory here.
    init?(start: (UnsafeMutablePointer<z_stream>) -> Int32, end: @escaping (UnsafeMutablePointer<z_stream>) -> Int32) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard start(stream) == Z_OK else {
            stream.deallocate()
            return nil
        }
        chunk = .allocate(capacity: Self.chunkSize)
        self.end = end
    }

    deinit {
        _ = end(stream)
        stream.deallocate()
        chunk.deallocate()
    }

    /// Points zlib's output at the empty chunk.
    func resetOutput() {
        stream.pointee.next_out = chunk
        stream.pointee.avail_out = UInt32(Self.chunkSize)
    }

    /// How many bytes the last call wrote to the chunk.
    var produced: Int { Self.chunkSize - Int(stream.pointee.avail_out) }
}
