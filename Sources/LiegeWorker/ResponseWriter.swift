import LiegeHTTP

/// Writes one response: the head is held back and goes out in the same write as the first body
/// bytes (one syscall for a small response); bodies are framed as decided by `ResponseFramingRules`.
///
/// A `.length(n)` body never exceeds n bytes on the wire (PEP 3333: a server should not send
/// more than the app's Content-Length): the excess is dropped. A body that ends short of n leaves
/// the client waiting for the rest. Either way `mustClose` becomes true, and the connection must be
/// closed after the response, so the client sees where it ended and the next response cannot be
/// misread as part of this one.
final class ResponseWriter {
    private let stream: ByteStream
    private var pending: [UInt8] = []
    private(set) var framing: BodyFraming = .none(declaredLength: nil)
    private(set) var statusCode = 0
    private(set) var headBytes = 0
    private(set) var bodyBytes = 0
    private(set) var headSent = false
    /// The body did not match its Content-Length (cut or short): close the connection after it.
    private(set) var mustClose = false
    /// With `.length` framing: bytes the body may still carry.
    private var lengthLeft = 0
    private let flushThreshold = 65536

    init(stream: ByteStream) {
        self.stream = stream
        pending.reserveCapacity(4096)
    }

    func reset() {
        pending.removeAll(keepingCapacity: true)
        framing = .none(declaredLength: nil)
        statusCode = 0
        headBytes = 0
        bodyBytes = 0
        headSent = false
        mustClose = false
        lengthLeft = 0
    }

    /// Queues the head; returns the framing chosen so the caller knows whether keep-alive survives.
    func start(
        version: HTTPVersion, status: String, headers: [(name: String, value: String)],
        framing: BodyFraming, keepAlive: Bool, date: String
    ) {
        statusCode = ResponseFramingRules.statusCode(of: status)
        self.framing = framing
        let before = pending.count
        var contentLength: Int?
        var chunked = false
        switch framing {
        case .length(let length):
            contentLength = headers.contains { isContentLength($0.name) } ? nil : length
            lengthLeft = length
        case .chunked: chunked = true
        case .none(let declared):
            contentLength = headers.contains { isContentLength($0.name) } ? nil : declared
        case .untilClose: break
        }
        ResponseHead.serialize(
            version: version, status: status, headers: headers, date: date, server: "liege",
            contentLength: contentLength, chunked: chunked, keepAlive: keepAlive && framing.allowsKeepAlive,
            into: &pending)
        headBytes = pending.count - before
        headSent = true
    }

    func body(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        var sent = bytes.count
        switch framing {
        case .none: return
        case .chunked:
            ChunkEncoding.chunkHeader(length: bytes.count, into: &pending)
            try append(bytes)
            pending.append(13)
            pending.append(10)
        case .length:
            sent = allowance(bytes.count)
            guard sent > 0 else { return }
            try append(UnsafeRawBufferPointer(rebasing: bytes[0..<sent]))
        case .untilClose:
            try append(bytes)
        }
        bodyBytes += sent
        if pending.count >= flushThreshold { try flush() }
    }

    func file(descriptor: Int32, offset: Int, count: Int?) throws -> Bool {
        if case .none = framing { return true }
        guard var length = count ?? stream.fileSize(descriptor: descriptor).map({ max(0, $0 - offset) }) else {
            return false
        }
        if case .length = framing {
            length = allowance(length)
            guard length > 0 else { return true }
        }
        if case .chunked = framing {
            guard length > 0 else { return true }
            ChunkEncoding.chunkHeader(length: length, into: &pending)
        }
        try flush()
        try stream.sendFile(descriptor: descriptor, offset: offset, count: length)
        bodyBytes += length
        if case .chunked = framing {
            pending.append(13)
            pending.append(10)
        }
        return true
    }

    func finish() throws {
        switch framing {
        case .chunked: pending.append(contentsOf: ChunkEncoding.lastChunk)
        case .length: if lengthLeft > 0 { mustClose = true }
        case .none, .untilClose: break
        }
        try flush()
    }

    /// Writes a complete ready-made response (error pages).
    func raw(_ bytes: [UInt8], statusCode: Int) throws {
        self.statusCode = statusCode
        headSent = true
        try flush()
        try stream.write(bytes)
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        try stream.write(pending)
        pending.removeAll(keepingCapacity: true)
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= flushThreshold {
            try flush()
            try stream.write(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    /// How many of `count` bytes still fit in a `.length` body; notes a cut.
    private func allowance(_ count: Int) -> Int {
        let allowed = min(count, lengthLeft)
        if allowed < count { mustClose = true }
        lengthLeft -= allowed
        return allowed
    }

    private func isContentLength(_ name: String) -> Bool {
        HeaderName.matches(name, "content-length")
    }
}
