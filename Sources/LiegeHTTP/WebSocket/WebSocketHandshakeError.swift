/// Why `WebSocketAcceptance` could not write a 101 response for what the app asked.
public enum WebSocketHandshakeError: Error, Sendable, Equatable {
    /// The app chose a subprotocol the client did not offer (RFC 6455 §4.2.2).
    case subprotocolNotOffered(String)
    /// A header name that is not a token, or a value with CR, LF or NUL.
    case invalidHeader(name: [UInt8])
    /// A header the handshake itself writes (`Upgrade`, `Connection`, `Sec-WebSocket-*`);
    /// ASGI apps give the subprotocol separately.
    case reservedHeader(name: [UInt8])
}
