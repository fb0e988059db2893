import Testing
@testable import LiegeHTTP

/// Each protocol violation fails the session with its close code, queues one close frame with that
/// code, and stops parsing; the same holds when the bytes arrive one at a time.
@Suite struct WebSocketViolationTests {
    private func expectFailure(
        _ bytes: [UInt8], _ code: UInt16, limit: Int = 1000, deflate: PerMessageDeflate? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for byteByByte in [false, true] {
            let session = WebSocketSession(maxMessageSize: limit, deflate: deflate)
            let events = byteByByte ? receiveByteByByte(session, bytes) : session.receive(bytes)
            #expect(failureCode(events) == code, "byte by byte: \(byteByByte)", sourceLocation: sourceLocation)
            #expect(events.filter { if case .failed = $0 { true } else { false } }.count == 1, sourceLocation: sourceLocation)
            #expect(session.state == .closed, sourceLocation: sourceLocation)
            #expect(session.isFinished, sourceLocation: sourceLocation)
            #expect(sentCloseCode(session) == code, sourceLocation: sourceLocation)
            #expect(session.receive(clientFrame(0x1, Array("more".utf8))) == [], "stops parsing", sourceLocation: sourceLocation)
            #expect(throws: WebSocketSendError.closed, sourceLocation: sourceLocation) { try session.sendText("x") }
        }
    }

    @Test func unmaskedFrame() {
        expectFailure(clientFrame(0x1, Array("Hi".utf8), masked: false), 1002)
    }

    @Test func reservedBits() {
        expectFailure(clientFrame(0x1, [0x41], rsv: 0b010), 1002)  // RSV2
        expectFailure(clientFrame(0x1, [0x41], rsv: 0b001), 1002)  // RSV3
        expectFailure(clientFrame(0x1, [0x41], rsv: 0b100), 1002)  // RSV1 without deflate
        let deflate = PerMessageDeflate()
        expectFailure(clientFrame(0x9, [], rsv: 0b100), 1002, deflate: deflate)  // RSV1 on a control frame
        expectFailure(clientFrame(0x1, [0xF2], fin: false, rsv: 0b100) + clientFrame(0x0, [0x00], rsv: 0b100), 1002, deflate: deflate)
    }

    @Test func reservedOpcodes() {
        for opcode: UInt8 in [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            expectFailure(clientFrame(opcode, []), 1002)
        }
    }

    @Test func controlFrameRules() {
        expectFailure(clientFrame(0x9, [UInt8](repeating: 1, count: 126)), 1002)
        expectFailure(clientFrame(0x9, [1], fin: false), 1002)
        expectFailure(clientFrame(0x8, closePayload(1000), fin: false), 1002)
    }

    @Test func fragmentationRules() {
        expectFailure(clientFrame(0x0, [1]), 1002)  // continuation with no message
        expectFailure(clientFrame(0x1, [0x41], fin: false) + clientFrame(0x1, [0x42]), 1002)  // new text mid-message
        expectFailure(clientFrame(0x2, [1], fin: false) + clientFrame(0x2, [2]), 1002)
        expectFailure(clientFrame(0x1, [0x41]) + clientFrame(0x0, [0x42]), 1002)  // continuation after a final frame
    }

    @Test func messageTooBigFromTheHeader() {
        expectFailure(clientFrame(0x2, [UInt8](repeating: 0, count: 1001)), 1009)
        expectFailure(clientFrame(0x2, [UInt8](repeating: 0, count: 600), fin: false) + clientFrame(0x0, [UInt8](repeating: 0, count: 401)), 1009)
        // A header announcing 2^40 bytes fails before any payload arrives.
        let session = WebSocketSession(maxMessageSize: 1000, deflate: nil)
        #expect(failureCode(session.receive(clientHeader(0x2, length: 1 << 40))) == 1009)
        #expect(failureCode(WebSocketSession(maxMessageSize: 1000, deflate: nil).receive(clientHeader(0x2, length: 1 << 63))) == 1002)
    }

    @Test func invalidUTF8InText() {
        expectFailure(clientFrame(0x1, [0x61, 0xFF]), 1007)
        expectFailure(clientFrame(0x1, [0xC0, 0x80]), 1007)  // overlong
        expectFailure(clientFrame(0x1, [0xED, 0xA0, 0x80]), 1007)  // surrogate
        expectFailure(clientFrame(0x1, [0xF4, 0x90, 0x80, 0x80]), 1007)  // above U+10FFFF
        expectFailure(clientFrame(0x1, [0x61, 0xE2, 0x82]), 1007)  // ends inside a character
        // Fails on the fragment that breaks it, before the message ends.
        let session = WebSocketSession(maxMessageSize: 1000, deflate: nil)
        #expect(session.receive(clientFrame(0x1, Array("ok".utf8), fin: false)) == [])
        #expect(failureCode(session.receive(clientFrame(0x0, [0xFE], fin: false))) == 1007)
        // Binary messages are not text.
        #expect(WebSocketSession(maxMessageSize: 10, deflate: nil).receive(clientFrame(0x2, [0xFF])) == [.binary([0xFF])])
    }

    @Test func invalidUTF8AcrossFramesFailsWhereItBreaks() {
        // 0xE2 0x82 then 0x41: the second fragment breaks the sequence.
        expectFailure(clientFrame(0x1, [0xE2, 0x82], fin: false) + clientFrame(0x0, [0x41]), 1007)
    }

    @Test func closeFrameRules() {
        expectFailure(clientFrame(0x8, [0x03]), 1002)  // 1-byte payload
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            expectFailure(clientFrame(0x8, closePayload(code)), 1002)
        }
        expectFailure(clientFrame(0x8, closePayload(1000) + [0xC3, 0x28]), 1007)  // invalid UTF-8 reason
    }

    @Test func allowedCloseCodesAreAccepted() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999] {
            let session = WebSocketSession(maxMessageSize: 1000, deflate: nil)
            #expect(session.receive(clientFrame(0x8, closePayload(code, "bye"))) == [.closed(code: code, reason: "bye")])
            #expect(sentCloseCode(session) == code)
        }
    }

    @Test func failureAfterOurCloseSendsNoSecondClose() throws {
        let session = WebSocketSession(maxMessageSize: 1000, deflate: nil)
        try session.close(code: .goingAway)
        #expect(serverFrames(session.takeOutput()).map(\.opcode) == [0x8])
        #expect(failureCode(session.receive(clientFrame(0x1, [0xFF]))) == 1007)
        #expect(session.isFinished)
        #expect(session.takeOutput() == [])
    }
}
