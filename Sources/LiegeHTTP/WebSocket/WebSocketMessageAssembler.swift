/// Builds data messages from their frames: fragmentation rules, the size limit, inflating
/// compressed messages, and UTF-8 validation of text as it arrives.
struct WebSocketMessageAssembler {
    /// The largest message, in bytes after inflating.
    let limit: Int
    let deflate: PerMessageDeflate?

    private(set) var inProgress = false
    private var isText = false
    private var isCompressed = false
    /// Payload bytes of the message's frames so far, as sent (compressed or not).
    private var wireBytes = 0
    private var message: [UInt8] = []
    private var validator = UTF8Validator()
    /// Made with the first compressed message.
    private var inflater: WebSocketInflater?
    /// The current piece of a compressed payload, unmasked before it is inflated.
    private var compressed: [UInt8] = []

    /// Text buffers up to this size are kept between messages.
    private static let keptCapacity = 64 * 1024

    init(limit: Int, deflate: PerMessageDeflate?) {
        self.limit = limit
        self.deflate = deflate
    }

    /// Compressed payloads may be a little larger than what they inflate to (stored blocks):
    /// they are allowed an eighth more, plus 1 KiB, before the message counts as too big.
    private var wireLimit: Int {
        guard isCompressed else { return limit }
        let slack = limit / 8 + 1024
        return limit > Int.max - slack ? Int.max : limit + slack
    }

    /// A text, binary or continuation frame header; checked before any of its payload is read.
    mutating func begin(_ opcode: WebSocketOpcode, _ header: WebSocketFrameHeader) throws(WebSocketFailure) {
        if opcode == .continuation {
            guard inProgress else { throw WebSocketFailure(.protocolError, "continuation frame without a message to continue") }
            guard !header.rsv1 else { throw WebSocketFailure(.protocolError, "RSV1 set on a continuation frame") }
        } else {
            guard !inProgress else { throw WebSocketFailure(.protocolError, "new data frame before the previous message ended") }
            guard !header.rsv1 || deflate != nil else { throw WebSocketFailure(.protocolError, "RSV1 set without permessage-deflate") }
            inProgress = true
            isText = opcode == .text
            isCompressed = header.rsv1
            wireBytes = 0
            validator.reset()
        }
        guard header.length <= UInt64(wireLimit - wireBytes) else {
            throw WebSocketFailure(.messageTooBig, "message larger than \(limit) bytes")
        }
        wireBytes += Int(header.length)
        if !isCompressed { BoundedGrowth.reserve(&message, adding: Int(header.length), limit: limit) }
    }

    /// The next piece of the current frame's payload, still masked.
    mutating func append(_ piece: UnsafeRawBufferPointer, mask: WebSocketMask, offset: Int) throws(WebSocketFailure) {
        let start = message.count
        if isCompressed {
            let inflater = inflaterForMessage()
            var input = compressed
            compressed = []
            input.removeAll(keepingCapacity: true)
            input.append(contentsOf: piece)
            input.withUnsafeMutableBytes { mask.apply(to: $0, offset: offset) }
            let limit = limit
            let outcome = input.withUnsafeBytes { inflater?.inflate($0, into: &message, limit: limit) }
            compressed = input
            try check(outcome)
        } else {
            message.append(contentsOf: piece)
            message.withUnsafeMutableBytes { mask.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[start...]), offset: offset) }
        }
        try validate(from: start)
    }

    /// The final frame ended: the whole message.
    mutating func finish() throws(WebSocketFailure) -> WebSocketEvent {
        if isCompressed {
            let start = message.count
            let inflater = inflaterForMessage()
            try check(inflater?.finishMessage(into: &message, limit: limit))
            try validate(from: start)
        }
        inProgress = false
        guard isText else {
            defer { message = [] }
            return .binary(message)
        }
        guard validator.isComplete else { throw WebSocketFailure(.invalidPayloadData, "text message ends inside a UTF-8 sequence") }
        let text = String(decoding: message, as: UTF8.self)
        if message.capacity > Self.keptCapacity { message = [] } else { message.removeAll(keepingCapacity: true) }
        return .text(text)
    }

    private mutating func validate(from start: Int) throws(WebSocketFailure) {
        guard isText, message.count > start else { return }
        var running = validator
        let valid = message.withUnsafeBytes { running.validate(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        validator = running
        guard valid else { throw WebSocketFailure(.invalidPayloadData, "invalid UTF-8 in a text message") }
    }

    private mutating func inflaterForMessage() -> WebSocketInflater? {
        if inflater == nil, let deflate { inflater = WebSocketInflater(noContextTakeover: deflate.clientNoContextTakeover) }
        return inflater
    }

    private func check(_ outcome: WebSocketInflater.Outcome?) throws(WebSocketFailure) {
        switch outcome {
        case .inflated: return
        case .tooBig: throw WebSocketFailure(.messageTooBig, "message larger than \(limit) bytes")
        case .invalid: throw WebSocketFailure(.invalidPayloadData, "compressed message does not inflate")
        case nil: throw WebSocketFailure(.internalError, "zlib could not start an inflate stream")
        }
    }
}
