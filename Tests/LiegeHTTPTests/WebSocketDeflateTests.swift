import Testing
@testable import LiegeHTTP

/// permessage-deflate through zlib, anchored on the examples of RFC 7692 §7.2.3.
@Suite struct WebSocketDeflateTests {
    /// "Hello" compressed with an empty window (§7.2.3.1).
    private let helloCompressed: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
    /// The second "Hello" referring to the first one's window (§7.2.3.2).
    private let helloAgainCompressed: [UInt8] = [0xF2, 0x00, 0x11, 0x00, 0x00]

    private func session(_ deflate: PerMessageDeflate = PerMessageDeflate(), limit: Int = 1 << 20) -> WebSocketSession {
        WebSocketSession(maxMessageSize: limit, deflate: deflate)
    }

    @Test func sendsTheRFCHelloFrame() throws {
        let subject = session()
        try subject.sendText("Hello")
        #expect(subject.takeOutput() == [0xC1, 0x07] + helloCompressed)
    }

    @Test func receivesTheRFCExamples() {
        let subject = session()
        #expect(subject.receive(clientFrame(0x1, helloCompressed, rsv: 0b100)) == [.text("Hello")])
        // With context takeover the second message refers back to the first (§7.2.3.2).
        #expect(receiveByteByByte(subject, clientFrame(0x1, helloAgainCompressed, rsv: 0b100)) == [.text("Hello")])
        // Fragmented compressed message: RSV1 on the first frame only (§7.2.3.4).
        let fragmented = clientFrame(0x1, [0xF2, 0x48, 0xCD], fin: false, rsv: 0b100) + clientFrame(0x0, [0xC9, 0xC9, 0x07, 0x00])
        #expect(session().receive(fragmented) == [.text("Hello")])
        // A stored (uncompressed) deflate block (§7.2.3.3).
        let stored: [UInt8] = [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]
        #expect(session().receive(clientFrame(0x1, stored, rsv: 0b100)) == [.text("Hello")])
        // A block with BFINAL set (§7.2.3.5), then a message that still uses the window.
        let final = session()
        #expect(final.receive(clientFrame(0x1, [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00], rsv: 0b100)) == [.text("Hello")])
        #expect(final.receive(clientFrame(0x1, helloAgainCompressed, rsv: 0b100)) == [.text("Hello")])
        // Uncompressed messages stay allowed (RSV1 clear).
        #expect(session().receive(clientFrame(0x2, [1, 2])) == [.binary([1, 2])])
    }

    @Test func serverContextTakeover() throws {
        let kept = session()
        try kept.sendText("Hello")
        try kept.sendText("Hello")
        #expect(serverFrames(kept.takeOutput()).map(\.payload) == [helloCompressed, helloAgainCompressed])

        let fresh = session(PerMessageDeflate(serverNoContextTakeover: true))
        try fresh.sendText("Hello")
        try fresh.sendText("Hello")
        #expect(serverFrames(fresh.takeOutput()).map(\.payload) == [helloCompressed, helloCompressed])
    }

    @Test func clientNoContextTakeoverResetsTheInflater() {
        // A message that refers to the previous window is invalid once the client said it does not keep one.
        let subject = session(PerMessageDeflate(clientNoContextTakeover: true))
        #expect(subject.receive(clientFrame(0x1, helloCompressed, rsv: 0b100)) == [.text("Hello")])
        #expect(subject.receive(clientFrame(0x1, helloCompressed, rsv: 0b100)) == [.text("Hello")])
        #expect(failureCode(subject.receive(clientFrame(0x1, helloAgainCompressed, rsv: 0b100))) == 1007)
    }

    @Test func roundTripThroughClientSideZlib() throws {
        for deflate in [PerMessageDeflate(), PerMessageDeflate(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9)] {
            let subject = session(deflate)
            guard let client = WebSocketDeflater(windowBits: 15, noContextTakeover: deflate.clientNoContextTakeover),
                let clientInflater = WebSocketInflater(noContextTakeover: deflate.serverNoContextTakeover)
            else {
                Issue.record("zlib streams")
                return
            }
            let messages = ["", "Hello", String(repeating: "bonjour \u{1F600} ", count: 5000), "Hello"]
            for message in messages {
                var payload: [UInt8] = []
                Array(message.utf8).withUnsafeBytes { client.compress($0, into: &payload) }
                #expect(receiveByteByByte(subject, clientFrame(0x1, payload, rsv: 0b100)) == [.text(message)])
                try subject.sendText(message)
                let frames = serverFrames(subject.takeOutput())
                #expect(frames.map(\.rsv1) == [true])
                var inflated: [UInt8] = []
                let outcome = frames[0].payload.withUnsafeBytes { clientInflater.inflate($0, into: &inflated, limit: 1 << 20) }
                #expect(outcome == .inflated)
                #expect(clientInflater.finishMessage(into: &inflated, limit: 1 << 20) == .inflated)
                #expect(inflated == Array(message.utf8))
            }
            let binary = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 200) }  // a period a 512-byte window still finds
            try subject.sendBinary(binary)
            #expect(serverFrames(subject.takeOutput()).first.map { $0.payload.count < binary.count } == true)
        }
    }

    @Test func zipBombFailsWith1009() {
        guard let client = WebSocketDeflater(windowBits: 15, noContextTakeover: false) else {
            Issue.record("zlib stream")
            return
        }
        var bomb: [UInt8] = []
        [UInt8](repeating: 0, count: 50_000_000).withUnsafeBytes { client.compress($0, into: &bomb) }
        #expect(bomb.count < 100_000)  // small on the wire, within the limit's wire allowance
        let subject = session(limit: 1 << 20)
        let events = subject.receive(clientFrame(0x2, bomb, rsv: 0b100))
        #expect(failureCode(events) == 1009)
        #expect(sentCloseCode(subject) == 1009)
        #expect(subject.isFinished)
    }

    @Test func inflaterNeverGrowsPastTheLimit() {
        guard let client = WebSocketDeflater(windowBits: 15, noContextTakeover: false),
            let inflater = WebSocketInflater(noContextTakeover: false)
        else {
            Issue.record("zlib streams")
            return
        }
        var compressed: [UInt8] = []
        [UInt8](repeating: 0x41, count: 1_000_000).withUnsafeBytes { client.compress($0, into: &compressed) }
        var message: [UInt8] = []
        #expect(compressed.withUnsafeBytes { inflater.inflate($0, into: &message, limit: 100_000) } == .tooBig)
        #expect(message.count <= 100_000)
        #expect(message.capacity < 100_000 + 64)  // what malloc rounds up, no more
    }

    @Test func compressedTextIsValidatedAfterInflating() {
        guard let client = WebSocketDeflater(windowBits: 15, noContextTakeover: false) else { return }
        var payload: [UInt8] = []
        [0x61, 0xFF, 0x62].withUnsafeBytes { client.compress($0, into: &payload) }
        #expect(failureCode(session().receive(clientFrame(0x1, payload, rsv: 0b100))) == 1007)
    }

    @Test func garbageDoesNotInflate() {
        #expect(failureCode(session().receive(clientFrame(0x2, [0xFF, 0xFF, 0xFF, 0xFF], rsv: 0b100))) == 1007)
    }
}
