import LiegeHTTP

/// One WebSocket handshake and, once accepted, its connection: made by the loop, then owned by the
/// ASGI thread (like `ASGIExchange` for HTTP).
final class ASGIWebSocket: @unchecked Sendable {
    let id: Int
    let channel: ConnectionChannel
    let link: WebSocketLink
    let offer: WebSocketOffer
    let deflate: PerMessageDeflate?
    let log: LogFields

    // ASGI thread only.
    var started: RequestRecorder.Started?
    var accepted = false
    /// The handshake got its HTTP answer (403 denied, 500 failed) instead of a 101.
    var refusedStatus: Int?
    var bytesSent = 0

    init(id: Int, channel: ConnectionChannel, link: WebSocketLink, offer: WebSocketOffer, deflate: PerMessageDeflate?,
         log: LogFields) {
        self.id = id
        self.channel = channel
        self.link = link
        self.offer = offer
        self.deflate = deflate
        self.log = log
    }

    var answered: Bool { accepted || refusedStatus != nil }
}
