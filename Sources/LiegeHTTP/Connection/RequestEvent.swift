/// What a connection's request reader reports after taking bytes (`HTTPRequestReader`,
/// `UwsgiRequestReader`). `Start` is how the protocol's request begins: a head, a uwsgi packet.
public enum RequestEvent<Start: Sendable>: Sendable {
    /// Read more bytes (nothing complete yet).
    case needData
    /// A request starts. Body events follow (`endOfBody` at once when it has none).
    case start(Start)
    /// Body bytes were appended to the caller's buffer.
    case body
    /// The request's body is complete.
    case endOfBody
    /// Waiting for the current response before reading the next request.
    case paused
    /// The request is malformed: answer `error.status` (if no response started) and close.
    case failed(HTTPError)
    /// The body ended early: the peer closed or the stream broke.
    case bodyIncomplete
    /// The peer closed between requests (or mid-head), or the connection is done: close quietly.
    case closed
}

/// Where a connection is, for the caller's timeouts.
public enum ReaderPhase: Sendable, Equatable {
    /// Between requests, nothing of the next one received yet.
    case idle
    /// Part of a head (or packet) received.
    case head
    /// Reading the body of the current request.
    case body
    /// The current request is fully read; its response is being produced.
    case responding
    /// After the response: dropping what is left of an unread body.
    case discarding
    case closed
}
