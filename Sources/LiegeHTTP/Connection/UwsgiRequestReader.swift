/// The request side of one uwsgi-protocol connection (nginx `uwsgi_pass`): one packet of variables,
/// then CONTENT_LENGTH bytes of body, then the connection is done (the protocol has no keep-alive).
/// Sans-I/O like `HTTPRequestReader`.
public struct UwsgiRequestReader: Sendable {
    /// A uwsgi request starts with its packet; the body is CONTENT_LENGTH bytes.
    public struct Start: Sendable {
        public var request: UwsgiRequest
        public var contentLength: Int?
    }

    public typealias Event = RequestEvent<Start>

    public let parser: UwsgiPacketParser
    public private(set) var phase = ReaderPhase.idle
    private var body = BodyDecoder(contentLength: 0, chunked: false)
    private var peerClosed = false

    public init(parser: UwsgiPacketParser) {
        self.parser = parser
    }

    public var bodyBytesRead: Int { body.decodedBytes }

    public mutating func peerDidClose() {
        peerClosed = true
    }

    public mutating func next(_ input: UnsafeRawBufferPointer, bodyOutput: inout [UInt8]) -> (consumed: Int, event: Event) {
        switch phase {
        case .idle, .head:
            guard !input.isEmpty else { return (0, peerClosed ? close() : .needData) }
            phase = .head
            switch parser.parse(input) {
            case .complete(let request, let consumed):
                let length = request.value("CONTENT_LENGTH").flatMap { Int(String(decoding: $0, as: UTF8.self)) }
                body = BodyDecoder(contentLength: max(0, length ?? 0), chunked: false)
                phase = body.isComplete ? .responding : .body
                return (consumed, .start(Start(request: request, contentLength: length)))
            case .failure(let error):
                phase = .closed
                return (0, .failed(error))
            case .needMore:
                return (0, peerClosed ? close() : .needData)
            }
        case .body:
            guard !input.isEmpty else {
                guard peerClosed else { return (0, .needData) }
                phase = .responding
                return (0, .bodyIncomplete)
            }
            let (consumed, step) = body.decode(input, into: &bodyOutput)
            if step == .done {
                phase = .responding
                return (consumed, .endOfBody)
            }
            return (consumed, .body)
        case .responding, .discarding:
            return (0, .paused)
        case .closed:
            return (0, .closed)
        }
    }

    /// The response is complete: a uwsgi connection always ends here.
    public mutating func responseFinished() {
        phase = .closed
    }

    private mutating func close() -> Event {
        phase = .closed
        return .closed
    }
}
