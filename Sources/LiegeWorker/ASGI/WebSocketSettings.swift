import LiegeConfig

/// The `websocket-*` options, read once.
struct WebSocketSettings: Sendable {
    var maxMessageSize: Int
    var perMessageDeflate: Bool

    init(config: Config) {
        maxMessageSize = config.bytes("websocket-max-size")
        perMessageDeflate = config.bool("websocket-per-message-deflate")
    }
}
