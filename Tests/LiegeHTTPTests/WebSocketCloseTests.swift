import Testing
@testable import LiegeHTTP

/// Ping/pong and the close handshake in both directions.
@Suite struct WebSocketCloseTests {
    private func session() -> WebSocketSession { WebSocketSession(maxMessageSize: 1000, deflate: nil) }

    @Test func pingIsAnsweredWithTheExactPong() {
        let subject = session()
        // RFC 6455 §5.7: a ping with "Hello", masked as a client sends it.
        #expect(subject.receive(clientFrame(0x9, Array("Hello".utf8))) == [.ping(Array("Hello".utf8))])
        #expect(subject.takeOutput() == [0x8A, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(subject.receive(clientFrame(0x9, [])) == [.ping([])])
        #expect(subject.takeOutput() == [0x8A, 0x00])
    }

    @Test func pongIsReportedAndNotAnswered() {
        let subject = session()
        #expect(subject.receive(clientFrame(0xA, [1, 2, 3])) == [.pong([1, 2, 3])])
        #expect(subject.takeOutput() == [])
    }

    @Test func sendPing() throws {
        let subject = session()
        try subject.sendPing(Array("hb".utf8))
        #expect(subject.takeOutput() == [0x89, 0x02, 0x68, 0x62])
        #expect(throws: WebSocketSendError.controlPayloadTooLarge) { try subject.sendPing([UInt8](repeating: 0, count: 126)) }
    }

    @Test func peerInitiatedClose() {
        let subject = session()
        #expect(subject.receive(clientFrame(0x8, closePayload(1000, "done"))) == [.closed(code: 1000, reason: "done")])
        #expect(subject.state == .closeReceived)
        #expect(!subject.isFinished)
        #expect(throws: WebSocketSendError.closed) { try subject.sendText("late") }
        #expect(throws: WebSocketSendError.closed) { try subject.sendBinary([1]) }
        #expect(throws: WebSocketSendError.closed) { try subject.sendPing() }
        #expect(subject.takeOutput() == [0x88, 0x02, 0x03, 0xE8])  // the echo of 1000
        #expect(subject.state == .closed)
        #expect(subject.isFinished)
        #expect(subject.takeOutput() == [])
        #expect(subject.receive(clientFrame(0x1, [0x41])) == [], "nothing is read after the peer's close")
        #expect(throws: WebSocketSendError.closed) { try subject.close() }
    }

    @Test func peerCloseWithoutCodeIsEchoedWithout() {
        let subject = session()
        #expect(receiveByteByByte(subject, clientFrame(0x8, [])) == [.closed(code: nil, reason: "")])
        #expect(subject.takeOutput() == [0x88, 0x00])
        #expect(subject.isFinished)
    }

    @Test func replyToThePeersCloseWithOwnCode() throws {
        let subject = session()
        _ = subject.receive(clientFrame(0x8, closePayload(4000)))
        try subject.close(code: .goingAway, reason: "bye")
        #expect(subject.state == .closed)
        #expect(serverFrames(subject.takeOutput()) == [ServerFrame(fin: true, rsv1: false, opcode: 0x8, payload: closePayload(1001, "bye"))])
    }

    @Test func serverInitiatedClose() throws {
        let subject = session()
        try subject.close(code: .goingAway, reason: "reload")
        #expect(subject.state == .closeSent)
        #expect(!subject.isFinished)
        #expect(subject.takeOutput() == [0x88, 0x08, 0x03, 0xE9] + Array("reload".utf8))
        #expect(throws: WebSocketSendError.closed) { try subject.sendText("x") }
        #expect(throws: WebSocketSendError.closed) { try subject.close() }
        // Messages the peer sent before it saw our close still arrive; pings are no longer answered.
        #expect(subject.receive(clientFrame(0x1, Array("in flight".utf8)) + clientFrame(0x9, [7])) == [.text("in flight"), .ping([7])])
        #expect(subject.takeOutput() == [])
        #expect(subject.receive(clientFrame(0x8, closePayload(1001))) == [.closed(code: 1001, reason: "")])
        #expect(subject.state == .closed)
        #expect(subject.isFinished)
        #expect(subject.takeOutput() == [], "no second close frame")
    }

    @Test func closeCodesWeMayNotSend() {
        let subject = session()
        for code: UInt16 in [1005, 1006, 1015, 999, 2000, 5000] {
            #expect(throws: WebSocketSendError.invalidCloseCode(code)) { try subject.close(code: WebSocketCloseCode(rawValue: code)) }
        }
        #expect(subject.state == .open)
    }

    @Test func closeReasonIsCutAtACharacterBoundary() throws {
        let subject = session()
        let reason = String(repeating: "a", count: 122) + "\u{E9}\u{E9}"  // 122 + 2 + 2 bytes
        try subject.close(code: .normalClosure, reason: reason)
        let frames = serverFrames(subject.takeOutput())
        #expect(frames.first?.payload == closePayload(1000, String(repeating: "a", count: 122)))
        #expect(WebSocketSession.truncated(String(repeating: "b", count: 123)).count == 123)
        #expect(WebSocketSession.truncated(String(repeating: "b", count: 121) + "\u{1F600}").count == 121)
        #expect(Array(WebSocketSession.truncated("short")) == Array("short".utf8))
    }
}
