import LiegeConfig

/// The `websocket-*` options, read once.
struct WebSocketSettings: Sendable {
    var maxMessageSize: Int
    var perMessageDeflate: Bool

    init(config: Config) {
        maxMessageSize = config[.websocketMaxSize]
        perMessageDeflate = config[.websocketPerMessageDeflate]
    }
}
