import LiegeHTTP
import LiegePython

/// The WebSocket half of the ASGI backend (ASGI thread).
extension ASGIService {
    func receive(socket: ASGIWebSocket) -> ASGIIncoming {
        let (incoming, resume) = socket.link.take(observer: poke(socket.id))
        if resume { socket.channel.notifyLoop() }
        return incoming
    }

    func accept(socket: ASGIWebSocket, subprotocol: String?, headers: [(name: [UInt8], value: [UInt8])]) -> ASGISendResult {
        guard !socket.answered else { return .invalid("'websocket.accept' after the handshake was answered") }
        let response: [UInt8]
        do {
            response = try WebSocketAcceptance.response(for: socket.offer, subprotocol: subprotocol, deflate: socket.deflate,
                                                        headers: headers, date: clock.httpDate())
        } catch {
            return .invalid(Self.describe(error))
        }
        socket.accepted = true
        socket.bytesSent += response.count
        guard socket.channel.queue(response) else { return .gone }
        socket.channel.upgrade(to: socket.link)
        return .sent
    }

    func send(socket: ASGIWebSocket, _ message: ASGIOutgoingMessage) -> ASGISendResult {
        guard socket.accepted else { return .invalid("'websocket.send' before 'websocket.accept'") }
        guard let frames = socket.link.send(message) else { return .gone }
        socket.bytesSent += frames.count
        guard socket.channel.queue(frames, sendingNow: true) else { return .gone }
        return socket.channel.writable(observer: poke(socket.id)) ? .sent : .wait
    }

    func close(socket: ASGIWebSocket, code: Int, reason: String) -> ASGISendResult {
        guard socket.accepted else {
            // Closed before accept: the handshake is denied (RFC 6455 §4.2.2: any HTTP status but 101).
            if socket.refusedStatus == nil { refuse(socket, status: 403) }
            return .sent
        }
        switch socket.link.close(code: code, reason: reason) {
        case .invalidCode:
            return .invalid("close code \(code) may not be sent (1000-1003, 1007-1014, 3000-4999)")
        case .alreadyClosed:
            return .sent
        case .sent(let frames):
            socket.bytesSent += frames.count
            socket.channel.queue(frames)
            socket.channel.notifyLoop(urgent: false)
            return .sent
        }
    }

    func finished(socket: ASGIWebSocket, failure: String?) {
        let path = socket.log.uri
        if let failure { errorLog("ASGI app raised an exception (WebSocket \(path)):\n\(failure)") }
        if !socket.answered {
            if failure == nil { errorLog("ASGI app returned without accepting or closing the WebSocket \(path)") }
            refuse(socket, status: failure == nil ? 403 : 500)
        } else if socket.accepted {
            let frames = socket.link.appFinished(code: failure == nil ? .normalClosure : .internalError)
            socket.bytesSent += frames.count
            socket.channel.queue(frames)
        }
        recordEnd(of: socket, exception: failure != nil)
        socket.channel.complete(reuse: false)
    }

    /// The handshake's HTTP answer instead of 101.
    private func refuse(_ socket: ASGIWebSocket, status: Int) {
        socket.refusedStatus = status
        let page = WebSocketRefusal.response(status: status, headers: [], body: "\(status) \(HTTPStatus.reason(status))\n",
                                             date: clock.httpDate())
        socket.bytesSent += page.count
        socket.channel.queue(page)
        socket.channel.notifyLoop(urgent: false)
    }

    private static func describe(_ error: WebSocketHandshakeError) -> String {
        switch error {
        case .subprotocolNotOffered(let name): "the subprotocol \(name.debugDescription) was not offered by the client"
        case .invalidHeader: "a header of 'websocket.accept' is not a valid name and value"
        case .reservedHeader: "'websocket.accept' may not set Upgrade, Connection or Sec-WebSocket-* headers"
        }
    }
}
