import LiegeConfig

/// The `websocket-*` options, read once.
struct WebSocketSettings: Sendable {
    var maxMessageSize: Int
    var perMessageDeflate: Bool
    /// Milliseconds of silence before a ping (0: never), and for its pong to come.
    var pingInterval: Int
    var pingTimeout: Int

    init(config: Config) {
        maxMessageSize = config.bytes("websocket-max-size")
        perMessageDeflate = config.bool("websocket-per-message-deflate")
        pingInterval = config.seconds("websocket-ping-interval") * 1000
        pingTimeout = config.seconds("websocket-ping-timeout") * 1000
    }
}
