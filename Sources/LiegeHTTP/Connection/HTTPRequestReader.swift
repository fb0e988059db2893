/// The request side of one HTTP/1.x server connection as a state machine over bytes (in the manner
/// of h11): it takes what the socket delivered and gives events — a request head, body bytes, the end
/// of the body — and never touches a socket, a clock or a thread. Requests are read one at a time:
/// after a body ends the reader pauses until `responseFinished`, so pipelined requests wait in the
/// caller's buffer and answers go out in order.
public struct HTTPRequestReader: Sendable {
    public typealias Event = RequestEvent<RequestHead>
    public typealias Phase = ReaderPhase

    public let parser: HTTPHeadParser
    /// An unread body longer than this after its response closes the connection instead.
    public let discardLimit: Int
    public private(set) var phase = Phase.idle
    private var body = BodyDecoder(contentLength: 0, chunked: false)
    private var bodyDone = true
    private var searched = 0
    private var peerClosed = false
    private var discarded = 0

    public init(parser: HTTPHeadParser, discardLimit: Int = 1 << 20) {
        self.parser = parser
        self.discardLimit = discardLimit
    }

    /// The body decoded so far for the current request.
    public var bodyBytesRead: Int { body.decodedBytes }

    /// The end of the stream was read from the peer.
    public mutating func peerDidClose() {
        peerClosed = true
    }

    /// Takes the next event from `input` (the unconsumed bytes of the connection); `consumed` bytes of
    /// it are used up. Body bytes are appended to `bodyOutput`.
    public mutating func next(_ input: UnsafeRawBufferPointer, bodyOutput: inout [UInt8]) -> (consumed: Int, event: Event) {
        switch phase {
        case .idle, .head:
            return nextHead(input)
        case .body:
            guard !input.isEmpty else {
                return (0, peerClosed ? finishBodyEarly() : .needData)
            }
            let (consumed, step) = body.decode(input, into: &bodyOutput)
            switch step {
            case .needMore: return (consumed, consumed > 0 ? .body : .needData)
            case .done:
                bodyDone = true
                phase = .responding
                return (consumed, .endOfBody)
            case .failure(let error):
                phase = .closed
                return (consumed, .failed(error))
            }
        case .responding:
            return (0, .paused)
        case .discarding:
            guard !input.isEmpty else { return (0, peerClosed ? close() : .needData) }
            var scratch: [UInt8] = []
            let (consumed, step) = body.decode(input, into: &scratch, discard: true)
            discarded += consumed
            switch step {
            case .needMore:
                return discarded > discardLimit ? (consumed, close()) : (consumed, .needData)
            case .done:
                bodyDone = true
                phase = .idle
                searched = 0
                let (more, event) = nextHead(UnsafeRawBufferPointer(rebasing: input[consumed...]))
                return (consumed + more, event)
            case .failure:
                return (consumed, close())
            }
        case .closed:
            return (0, .closed)
        }
    }

    /// The response to the current request is complete. With `reuse` the connection reads the next
    /// request (first dropping what the app left unread of the body); otherwise it is done.
    public mutating func responseFinished(reuse: Bool) {
        guard phase != .closed else { return }
        guard reuse, !peerClosed || bodyDone else {
            phase = .closed
            return
        }
        discarded = 0
        searched = 0
        phase = bodyDone ? .idle : .discarding
    }

    private mutating func nextHead(_ input: UnsafeRawBufferPointer) -> (consumed: Int, event: Event) {
        guard !input.isEmpty else {
            return (0, peerClosed ? close() : .needData)
        }
        phase = .head
        // Parse on the first bytes, then only once the end of the head may have arrived (a head
        // trickling in byte by byte must not be re-parsed whole each time).
        if searched == 0 || input.count >= parser.maxHeadSize
            || HTTPHeadParser.mayHoldCompleteHead(input, searchFrom: searched) {
            searched = input.count
            switch parser.parse(input) {
            case .complete(let head, let consumed):
                body = BodyDecoder(contentLength: head.contentLength, chunked: head.isChunked,
                                   maxTrailerSize: parser.maxHeadSize, maxTrailerFields: parser.maxHeaderFields)
                bodyDone = !head.hasBody
                phase = bodyDone ? .responding : .body
                searched = 0
                return (consumed, .start(head))
            case .failure(let error):
                phase = .closed
                return (0, .failed(error))
            case .needMore:
                break
            }
        }
        searched = input.count
        return (0, peerClosed ? close() : .needData)
    }

    private mutating func finishBodyEarly() -> Event {
        phase = .responding
        bodyDone = false
        peerClosed = true
        return .bodyIncomplete
    }

    private mutating func close() -> Event {
        phase = .closed
        return .closed
    }
}
