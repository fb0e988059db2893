/// The fixed part of a frame (RFC 6455 §5.2): flags, opcode, payload length and masking key.
struct WebSocketFrameHeader: Sendable, Equatable {
    var fin: Bool
    var rsv1: Bool
    /// RSV2 or RSV3 set (no extension here defines them).
    var otherReservedBits: Bool
    /// The raw opcode nibble; `WebSocketOpcode(rawValue:)` is nil for a reserved one.
    var opcode: UInt8
    var mask: WebSocketMask?
    var length: UInt64

    /// The largest header: 2 bytes, an 8-byte length, a 4-byte key.
    static let maximumSize = 14

    /// The header at the start of `bytes` and its size, or nil when more bytes are needed.
    /// A 64-bit length keeps its top bit (the reader rejects it, RFC 6455 §5.2).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (WebSocketFrameHeader, Int)? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0]
        let second = bytes[1]
        let masked = second & 0x80 != 0
        var size = 2
        var length = UInt64(second & 0x7F)
        switch length {
        case 126: size += 2
        case 127: size += 8
        default: break
        }
        if masked { size += 4 }
        guard bytes.count >= size else { return nil }
        if length >= 126 {
            let lengthBytes = length == 126 ? 2 : 8
            length = 0
            for index in 2..<(2 + lengthBytes) { length = length << 8 | UInt64(bytes[index]) }
        }
        let mask = masked ? WebSocketMask(bytes[size - 4], bytes[size - 3], bytes[size - 2], bytes[size - 1]) : nil
        let header = WebSocketFrameHeader(
            fin: first & 0x80 != 0, rsv1: first & 0x40 != 0, otherReservedBits: first & 0x30 != 0,
            opcode: first & 0x0F, mask: mask, length: length)
        return (header, size)
    }

    /// Appends an unmasked (server) frame header with the shortest length encoding.
    static func appendUnmasked(opcode: WebSocketOpcode, rsv1: Bool, length: Int, to output: inout [UInt8]) {
        output.append(0x80 | (rsv1 ? 0x40 : 0) | opcode.rawValue)
        if length < 126 {
            output.append(UInt8(length))
        } else if length <= 0xFFFF {
            output.append(126)
            output.append(UInt8(truncatingIfNeeded: length >> 8))
            output.append(UInt8(truncatingIfNeeded: length))
        } else {
            output.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { output.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift))) }
        }
    }
}
