/// What `WebSocketSession.receive` found in the peer's bytes, in order.
public enum WebSocketEvent: Sendable, Equatable {
    /// A whole text message (fragments reassembled, inflated, validated as UTF-8).
    case text(String)
    /// A whole binary message.
    case binary([UInt8])
    /// A ping; the session has already queued the pong.
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame arrived (`code` nil when it carried none). Unless the session had
    /// sent its own close, `takeOutput()` echoes the code; nothing more is read.
    case closed(code: UInt16?, reason: String)
    /// The peer broke the protocol; the session queued a close frame with `code` and stopped
    /// parsing. Write the output, then close the connection.
    case failed(WebSocketCloseCode, reason: String)
}
