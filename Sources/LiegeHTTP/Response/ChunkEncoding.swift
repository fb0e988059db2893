/// Writing a chunked body (RFC 9112 §7.1): `chunkHeader`, the data, CRLF; `lastChunk` at the end.
public enum ChunkEncoding {
    /// `"0\r\n\r\n"`: the last chunk and an empty trailer section.
    public static let lastChunk: [UInt8] = [0x30, 0x0D, 0x0A, 0x0D, 0x0A]
    /// The CRLF that follows each chunk's data.
    public static let chunkEnd: [UInt8] = [0x0D, 0x0A]

    /// Appends the size line of a chunk: lowercase hex length and CRLF (`"1a\r\n"`).
    /// A zero length would end the body: callers skip empty chunks.
    public static func chunkHeader(length: Int, into buffer: inout [UInt8]) {
        Digits.appendHex(max(0, length), to: &buffer)
        buffer.append(0x0D)
        buffer.append(0x0A)
    }

    /// Appends a whole chunk (header, data, CRLF); nothing for empty data.
    public static func chunk(_ data: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        guard data.count > 0 else { return }
        chunkHeader(length: data.count, into: &buffer)
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: chunkEnd)
    }
}
