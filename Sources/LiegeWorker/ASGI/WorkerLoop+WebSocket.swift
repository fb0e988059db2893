import LiegeHTTP
import LiegePython

/// WebSockets of an ASGI app on the loop: the handshake is checked here (refusals answered without the
/// app), the app decides accept or deny, and once accepted the loop feeds the client's frames to the
/// connection's `WebSocketLink`.
extension WorkerLoop {
    /// An `Upgrade: websocket` request; false when it is not a WebSocket handshake after all (plain HTTP).
    func startWebSocket(_ asgi: ASGIService, head: RequestHead, log: LogFields, on connection: LoopConnection) -> Bool {
        switch WebSocketUpgrade.inspect(head) {
        case .notWebSocket:
            return false
        case .refusal(let refusal):
            answerRawOnLoop(connection, bytes: refusal.response(date: recorder.clock.httpDate()), status: refusal.status,
                            log: log)
            return true
        case .offer(let offer):
            let deflate = options.webSocket.perMessageDeflate ? PerMessageDeflate.negotiate(offer.extensions) : nil
            let link = WebSocketLink(session: WebSocketSession(maxMessageSize: options.webSocket.maxMessageSize,
                                                                deflate: deflate))
            connection.channel.beginRequest(hasBody: false)
            connection.jobInFlight = true
            var request = ASGIScopeParts.request(head: head, endpoints: connection.endpoints)
            request.scheme = "ws"
            request.subprotocols = offer.subprotocols
            let socket = ASGIWebSocket(id: asgi.makeID(), channel: connection.channel, link: link, offer: offer,
                                       deflate: deflate, log: log)
            asgi.inbox.post(.websocket(id: socket.id, request), socket: socket)
            return true
        }
    }

    /// The app accepted: from now on the connection carries frames.
    func switchToWebSocketIfAccepted(_ connection: LoopConnection) {
        guard let link = connection.channel.takeUpgrade() else {
            if case .websocket(let link) = connection.reader, connection.bodyPaused, !link.readPaused {
                connection.bodyPaused = false
            }
            return
        }
        connection.reader = .websocket(link)
        connection.bodyPaused = false
        if stopping { connection.channel.queue(link.goingAway()) }
    }

    /// Frames from the client: messages for the app, pongs and close replies back.
    func readWebSocket(_ link: WebSocketLink, on connection: LoopConnection) {
        let readable = connection.input.readable
        guard readable.count > 0 else { return }
        let received = link.receive(readable)
        connection.input.consume(readable.count)
        if !received.output.isEmpty { connection.channel.queue(received.output) }
        if received.pause { connection.bodyPaused = true }
    }

    /// A ready-made answer (a refused handshake), then close.
    func answerRawOnLoop(_ connection: LoopConnection, bytes: [UInt8], status: Int, log: LogFields) {
        exchange.begin(channel: connection.channel, version: HTTPVersion(major: 1, minor: 1), isHead: false,
                       canChunk: false, keepAlive: false, expectsContinue: false)
        let started = recorder.start(log, notify: false)
        try? exchange.writer.raw(bytes, statusCode: status)
        exchange.keepAlive = false
        recorder.finish(started, log: log, status: status, exception: false, exchange: exchange, variables: [],
                        notifyStart: true)
        exchange.end()
        connection.lingerOnClose = true
        connection.responseFinished(reuse: false)
    }
}
