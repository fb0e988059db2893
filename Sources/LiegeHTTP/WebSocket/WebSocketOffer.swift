/// A valid WebSocket opening handshake (RFC 6455 §4.2.1), as the client offered it.
public struct WebSocketOffer: Sendable, Equatable {
    /// `Sec-WebSocket-Key`, as sent (base64 of 16 bytes).
    public var key: String
    /// `Sec-WebSocket-Protocol` values in the client's order of preference.
    public var subprotocols: [String]
    /// `Sec-WebSocket-Extensions` offers in order; `PerMessageDeflate.negotiate(extensions)` picks one.
    public var extensions: [WebSocketExtensionOffer]

    public init(key: String, subprotocols: [String], extensions: [WebSocketExtensionOffer]) {
        self.key = key
        self.subprotocols = subprotocols
        self.extensions = extensions
    }
}
