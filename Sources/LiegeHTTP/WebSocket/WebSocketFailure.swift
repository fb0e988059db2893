/// A protocol violation by the peer, with the close code that answers it (thrown inside the session).
struct WebSocketFailure: Error, Sendable, Equatable {
    var code: WebSocketCloseCode
    var reason: String

    init(_ code: WebSocketCloseCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
