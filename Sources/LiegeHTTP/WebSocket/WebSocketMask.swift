/// The client-to-server masking of RFC 6455 §5.3: payload byte `i` is XORed with key byte `i % 4`.
struct WebSocketMask: Sendable, Equatable {
    /// The four key bytes in wire order.
    var key: (UInt8, UInt8, UInt8, UInt8)

    init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) { key = (b0, b1, b2, b3) }

    static func == (lhs: WebSocketMask, rhs: WebSocketMask) -> Bool { lhs.key == rhs.key }

    /// Masks (or unmasks: the same operation) `buffer` in place; `offset` is the position of the
    /// buffer's first byte in the frame's payload, so a payload can be handled in pieces.
    func apply(to buffer: UnsafeMutableRawBufferPointer, offset: Int) {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else { return }
        // The key rotated to start at this offset, laid out in memory order, then doubled to 8 bytes.
        let rotated: (UInt8, UInt8, UInt8, UInt8)
        switch offset & 3 {
        case 0: rotated = key
        case 1: rotated = (key.1, key.2, key.3, key.0)
        case 2: rotated = (key.2, key.3, key.0, key.1)
        default: rotated = (key.3, key.0, key.1, key.2)
        }
        let word = withUnsafeBytes(of: rotated) { $0.loadUnaligned(as: UInt32.self) }
        let wide = UInt64(word) | UInt64(word) << 32
        var index = 0
        while index + 8 <= count {
            let value = base.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ wide
            base.storeBytes(of: value, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        withUnsafeBytes(of: rotated) { keyBytes in
            while index < count {
                buffer[index] ^= keyBytes[index & 3]
                index += 1
            }
        }
    }
}
