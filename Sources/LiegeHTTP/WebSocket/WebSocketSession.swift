/// The server side of one WebSocket connection after the handshake (RFC 6455, RFC 7692):
/// bytes from the client in, events out; messages in, bytes for the client out. No I/O.
///
/// The loop feeds what it reads to `receive`, acts on the events, calls the `send` methods for
/// the app, writes whatever `takeOutput()` returns, and closes the TCP connection once
/// `isFinished` is true and that output is written. One session is used by one thread at a time.
public final class WebSocketSession {
    /// The close handshake, as far as this side knows it.
    public enum State: Sendable, Equatable {
        case open
        /// Our close frame is queued; the peer's has not arrived. Incoming messages still arrive.
        case closeSent
        /// The peer's close arrived and ours is not queued yet: `close(code:reason:)` picks the
        /// reply, otherwise `takeOutput()` echoes the peer's code. Nothing more is read.
        case closeReceived
        /// Both close frames exchanged, or the peer failed the protocol: write the output, then close.
        case closed
    }

    public private(set) var state: State = .open
    /// Close the TCP connection once the last `takeOutput()` bytes are written.
    public var isFinished: Bool { state == .closed }
    /// The largest incoming message, in bytes (after inflating); larger ones fail with 1009.
    public let maxMessageSize: Int
    /// The negotiated permessage-deflate, nil for none.
    public let deflate: PerMessageDeflate?

    private var reader = WebSocketFrameReader()
    private var assembler: WebSocketMessageAssembler
    /// The frame being read, its opcode checked.
    private var frameOpcode: WebSocketOpcode = .continuation
    private var frameMask = WebSocketMask(0, 0, 0, 0)
    private var frameIsFinal = false
    /// The payload of the control frame being read (at most 125 bytes).
    private var control: [UInt8] = []
    /// The peer's close code, echoed by `takeOutput()` in `.closeReceived`.
    private var peerCloseCode: UInt16?
    private var output: [UInt8] = []
    /// Made with the first compressed message sent.
    private var deflater: WebSocketDeflater?
    private var compressed: [UInt8] = []

    public init(maxMessageSize: Int, deflate: PerMessageDeflate?) {
        self.maxMessageSize = maxMessageSize
        self.deflate = deflate
        assembler = WebSocketMessageAssembler(limit: maxMessageSize, deflate: deflate)
        control.reserveCapacity(125)
    }

    // MARK: - Receiving

    /// Parses the peer's bytes, split anywhere; returns the events they complete, in order.
    /// After a close or a failure, further bytes are ignored.
    public func receive(_ bytes: some Collection<UInt8>) -> [WebSocketEvent] {
        var events: [WebSocketEvent] = []
        guard isReading else { return events }
        let handled: Void? = bytes.withContiguousStorageIfAvailable { receive(UnsafeRawBufferPointer($0), &events) }
        if handled == nil { Array(bytes).withUnsafeBytes { receive($0, &events) } }
        return events
    }

    private var isReading: Bool { state == .open || state == .closeSent }

    private func receive(_ input: UnsafeRawBufferPointer, _ events: inout [WebSocketEvent]) {
        var index = 0
        do {
            while isReading, let item = try reader.next(input, &index) {
                switch item {
                case .header(let header): try begin(header)
                case .payload(let piece, let offset): try take(piece, offset: offset)
                case .end: if let event = try endFrame() { events.append(event) }
                }
            }
        } catch {
            fail(error, &events)
        }
    }

    private func begin(_ header: WebSocketFrameHeader) throws(WebSocketFailure) {
        guard let mask = header.mask else { throw WebSocketFailure(.protocolError, "unmasked client frame") }
        guard !header.otherReservedBits else { throw WebSocketFailure(.protocolError, "RSV2 or RSV3 set") }
        guard let opcode = WebSocketOpcode(rawValue: header.opcode) else {
            throw WebSocketFailure(.protocolError, "reserved opcode \(header.opcode)")
        }
        if opcode.isControl {
            guard header.fin else { throw WebSocketFailure(.protocolError, "fragmented control frame") }
            guard header.length <= 125 else { throw WebSocketFailure(.protocolError, "control frame longer than 125 bytes") }
            guard !header.rsv1 else { throw WebSocketFailure(.protocolError, "RSV1 set on a control frame") }
            control.removeAll(keepingCapacity: true)
        } else {
            try assembler.begin(opcode, header)
        }
        frameOpcode = opcode
        frameMask = mask
        frameIsFinal = header.fin
    }

    private func take(_ piece: UnsafeRawBufferPointer, offset: Int) throws(WebSocketFailure) {
        guard frameOpcode.isControl else {
            try assembler.append(piece, mask: frameMask, offset: offset)
            return
        }
        let start = control.count
        control.append(contentsOf: piece)
        let mask = frameMask
        control.withUnsafeMutableBytes { mask.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[start...]), offset: offset) }
    }

    private func endFrame() throws(WebSocketFailure) -> WebSocketEvent? {
        switch frameOpcode {
        case .ping:
            if state == .open { control.withUnsafeBytes { appendFrame(.pong, rsv1: false, payload: $0) } }
            return .ping(control)
        case .pong:
            return .pong(control)
        case .close:
            return try peerClosed()
        case .text, .binary, .continuation:
            return frameIsFinal ? try assembler.finish() : nil
        }
    }

    private func peerClosed() throws(WebSocketFailure) -> WebSocketEvent {
        var code: UInt16?
        var reason = ""
        if !control.isEmpty {
            guard control.count >= 2 else { throw WebSocketFailure(.protocolError, "close frame with a 1-byte payload") }
            let value = UInt16(control[0]) << 8 | UInt16(control[1])
            guard WebSocketCloseCode(rawValue: value).isAllowedOnWire else {
                throw WebSocketFailure(.protocolError, "close code \(value) is not allowed on the wire")
            }
            let valid = control.withUnsafeBytes { UTF8Validator.isValid(UnsafeRawBufferPointer(rebasing: $0[2...])) }
            guard valid else { throw WebSocketFailure(.invalidPayloadData, "invalid UTF-8 in the close reason") }
            code = value
            reason = String(decoding: control[2...], as: UTF8.self)
        }
        peerCloseCode = code
        state = state == .open ? .closeReceived : .closed
        return .closed(code: code, reason: reason)
    }

    /// Fail the WebSocket Connection (RFC 6455 §7.1.7): one close frame with the code, then nothing.
    private func fail(_ failure: WebSocketFailure, _ events: inout [WebSocketEvent]) {
        events.append(.failed(failure.code, reason: failure.reason))
        if state == .open || state == .closeReceived { appendClose(code: failure.code.rawValue, reason: failure.reason) }
        state = .closed
    }

    // MARK: - Sending

    /// Queues a text message, compressed when permessage-deflate was negotiated.
    public func sendText(_ text: String) throws(WebSocketSendError) {
        guard state == .open else { throw .closed }
        var text = text
        text.withUTF8 { sendMessage(.text, UnsafeRawBufferPointer($0)) }
    }

    /// Queues a binary message, compressed when permessage-deflate was negotiated.
    public func sendBinary(_ bytes: [UInt8]) throws(WebSocketSendError) {
        guard state == .open else { throw .closed }
        bytes.withUnsafeBytes { sendMessage(.binary, $0) }
    }

    /// Queues a ping (at most 125 bytes of payload).
    public func sendPing(_ payload: [UInt8] = []) throws(WebSocketSendError) {
        guard state == .open else { throw .closed }
        guard payload.count <= 125 else { throw .controlPayloadTooLarge }
        payload.withUnsafeBytes { appendFrame(.ping, rsv1: false, payload: $0) }
    }

    /// Queues our close frame; `reason` is cut to 123 bytes at a character boundary. In `.open`
    /// the session then waits for the peer's close (`.closeSent`); in `.closeReceived` this is
    /// the reply and the session is `.closed`.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") throws(WebSocketSendError) {
        guard state == .open || state == .closeReceived else { throw .closed }
        guard code.isAllowedOnWire else { throw .invalidCloseCode(code.rawValue) }
        appendClose(code: code.rawValue, reason: reason)
        state = state == .open ? .closeSent : .closed
    }

    /// The bytes to write to the client, now; empty when there are none. In `.closeReceived`
    /// this first queues the echo of the peer's close, and the session becomes `.closed`.
    public func takeOutput() -> [UInt8] {
        if state == .closeReceived {
            if let code = peerCloseCode { appendClose(code: code, reason: "") } else { appendFrame(.close, rsv1: false, payload: UnsafeRawBufferPointer(start: nil, count: 0)) }
            state = .closed
        }
        defer { output = [] }
        return output
    }

    private func sendMessage(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) {
        guard let deflate else {
            appendFrame(opcode, rsv1: false, payload: payload)
            return
        }
        if deflater == nil {
            deflater = WebSocketDeflater(windowBits: deflate.deflateWindowBits, noContextTakeover: deflate.serverNoContextTakeover)
        }
        guard let deflater else {
            appendFrame(opcode, rsv1: false, payload: payload)  // zlib out of memory: RSV1 clear is always allowed
            return
        }
        compressed.removeAll(keepingCapacity: true)
        deflater.compress(payload, into: &compressed)
        compressed.withUnsafeBytes { appendFrame(opcode, rsv1: true, payload: $0) }
        if compressed.capacity > 64 * 1024 { compressed = [] }
    }

    private func appendClose(code: UInt16, reason: String) {
        var payload: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        payload.append(contentsOf: Self.truncated(reason))
        payload.withUnsafeBytes { appendFrame(.close, rsv1: false, payload: $0) }
    }

    private func appendFrame(_ opcode: WebSocketOpcode, rsv1: Bool, payload: UnsafeRawBufferPointer) {
        WebSocketFrameHeader.appendUnmasked(opcode: opcode, rsv1: rsv1, length: payload.count, to: &output)
        output.append(contentsOf: payload)
    }

    /// The UTF-8 of `reason`, at most 123 bytes (a close payload is 125 with the code), cut before
    /// a continuation byte so no character is split.
    static func truncated(_ reason: String) -> ArraySlice<UInt8> {
        let bytes = Array(reason.utf8)
        guard bytes.count > 123 else { return bytes[...] }
        var end = 123
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[..<end]
    }
}
