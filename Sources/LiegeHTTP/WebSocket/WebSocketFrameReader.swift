/// Splits incoming bytes into frame headers and payload pieces, across reads split anywhere.
///
/// Payload pieces point into the caller's input (still masked): nothing is copied here, the
/// consumer copies each piece once to where it belongs and unmasks it there.
struct WebSocketFrameReader {
    enum Item {
        case header(WebSocketFrameHeader)
        /// The next piece of the current frame's payload; `offset` is its position in the payload.
        case payload(UnsafeRawBufferPointer, offset: Int)
        /// The current frame's payload is complete.
        case end
    }

    /// The start of a header that arrived split over reads (at most 13 bytes).
    private var partialHeader: [UInt8] = []
    private var inPayload = false
    private var remaining: UInt64 = 0
    private var offset = 0

    init() {
        partialHeader.reserveCapacity(WebSocketFrameHeader.maximumSize)
    }

    /// The next item of `input` from `index` (advanced past what it used), or nil when all of
    /// `input` is used and more bytes are needed.
    mutating func next(_ input: UnsafeRawBufferPointer, _ index: inout Int) throws(WebSocketFailure) -> Item? {
        if inPayload {
            if remaining == 0 {
                inPayload = false
                return .end
            }
            guard index < input.count else { return nil }
            let count = Int(min(remaining, UInt64(input.count - index)))
            let piece = UnsafeRawBufferPointer(rebasing: input[index..<(index + count)])
            index += count
            remaining -= UInt64(count)
            offset += count
            return .payload(piece, offset: offset - count)
        }
        guard index < input.count else { return nil }
        if partialHeader.isEmpty, let (header, size) = WebSocketFrameHeader.parse(UnsafeRawBufferPointer(rebasing: input[index...])) {
            index += size
            return try start(header)
        }
        while index < input.count {
            partialHeader.append(input[index])
            index += 1
            if let (header, _) = partialHeader.withUnsafeBytes({ WebSocketFrameHeader.parse($0) }) {
                partialHeader.removeAll(keepingCapacity: true)
                return try start(header)
            }
        }
        return nil
    }

    private mutating func start(_ header: WebSocketFrameHeader) throws(WebSocketFailure) -> Item {
        guard header.length >> 63 == 0 else { throw WebSocketFailure(.protocolError, "frame length with the most significant bit set") }
        inPayload = true
        remaining = header.length
        offset = 0
        return .header(header)
    }
}
