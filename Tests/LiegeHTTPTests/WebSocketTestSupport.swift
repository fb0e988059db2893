import Testing
@testable import LiegeHTTP

/// A client frame as RFC 6455 requires it: masked with `mask` (the key of the RFC's §5.7 examples
/// by default). `rsv` is the three reserved bits (RSV1 = 0b100); `masked: false` breaks the rule.
func clientFrame(
    _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0,
    mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D], masked: Bool = true
) -> [UInt8] {
    var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode]
    let maskBit: UInt8 = masked ? 0x80 : 0
    if payload.count < 126 {
        frame.append(maskBit | UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
        frame += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
        frame.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
    }
    guard masked else { return frame + payload }
    frame += mask
    for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index % 4]) }
    return frame
}

/// A header claiming `length` payload bytes, masked, with no payload after it.
func clientHeader(_ opcode: UInt8, length: UInt64, fin: Bool = true) -> [UInt8] {
    var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode, 0x80 | 127]
    for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
    return frame + [1, 2, 3, 4]
}

/// A close frame's payload: the code in network order, then the reason.
func closePayload(_ code: UInt16, _ reason: String = "") -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
}

/// A server frame read back from the session's output.
struct ServerFrame: Equatable {
    var fin: Bool
    var rsv1: Bool
    var opcode: UInt8
    var payload: [UInt8]
}

/// Splits server output into frames; records an issue for a masked frame or trailing bytes.
func serverFrames(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [ServerFrame] {
    var frames: [ServerFrame] = []
    var index = 0
    while index < bytes.count {
        guard let (header, size) = bytes[index...].withUnsafeBytes({ WebSocketFrameHeader.parse($0) }),
            index + size + Int(header.length) <= bytes.count
        else {
            Issue.record("truncated server frame at \(index)", sourceLocation: sourceLocation)
            break
        }
        #expect(header.mask == nil, "server frames are unmasked", sourceLocation: sourceLocation)
        let start = index + size
        frames.append(ServerFrame(
            fin: header.fin, rsv1: header.rsv1, opcode: header.opcode, payload: Array(bytes[start..<(start + Int(header.length))])))
        index = start + Int(header.length)
    }
    return frames
}

/// Feeds `bytes` one byte at a time and collects every event.
func receiveByteByByte(_ session: WebSocketSession, _ bytes: [UInt8]) -> [WebSocketEvent] {
    var events: [WebSocketEvent] = []
    for byte in bytes { events += session.receive(CollectionOfOne(byte)) }
    return events
}

/// The close code of the failure event among `events`, nil if none failed.
func failureCode(_ events: [WebSocketEvent]) -> UInt16? {
    for case .failed(let code, _) in events { return code.rawValue }
    return nil
}

/// The close code of the first close frame in the session's output.
func sentCloseCode(_ session: WebSocketSession) -> UInt16? {
    for frame in serverFrames(session.takeOutput()) where frame.opcode == 0x8 {
        return frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
    }
    return nil
}

/// A parsed request head for the handshake tests (CRLF line ends added).
func upgradeHead(_ lines: [String], requestLine: String = "GET /chat HTTP/1.1") -> RequestHead? {
    head(([requestLine] + lines).joined(separator: "\r\n") + "\r\n\r\n")
}

/// The header lines of a valid handshake (RFC 6455 §1.3's key).
let validUpgradeLines = [
    "Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
]
