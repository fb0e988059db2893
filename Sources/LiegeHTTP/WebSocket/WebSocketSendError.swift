/// Why `WebSocketSession` refused to queue a frame.
public enum WebSocketSendError: Error, Sendable, Equatable {
    /// The session already sent its close frame, received the peer's, or failed.
    case closed
    /// A ping payload above 125 bytes (RFC 6455 §5.5).
    case controlPayloadTooLarge
    /// A close code that may not appear on the wire (1005, 1006, 1015, unassigned ranges).
    case invalidCloseCode(UInt16)
}
