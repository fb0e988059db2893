import Testing
@testable import LiegeHTTP

@Suite struct WebSocketFrameTests {
    private func session(limit: Int = 1 << 20) -> WebSocketSession {
        WebSocketSession(maxMessageSize: limit, deflate: nil)
    }

    @Test func maskedHelloOfRFC6455Section5_7() {
        let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(clientFrame(0x1, Array("Hello".utf8)) == frame)
        #expect(session().receive(frame) == [.text("Hello")])
    }

    @Test func framesSplitByteByByte() {
        let bytes = clientFrame(0x1, Array("Hello".utf8)) + clientFrame(0x2, [0, 1, 2, 255])
            + clientFrame(0x9, Array("p".utf8)) + clientFrame(0x1, []) + clientFrame(0x2, Array(repeating: 7, count: 300))
        let expected: [WebSocketEvent] = [
            .text("Hello"), .binary([0, 1, 2, 255]), .ping(Array("p".utf8)), .text(""), .binary(Array(repeating: 7, count: 300)),
        ]
        #expect(receiveByteByByte(session(), bytes) == expected)
        #expect(session().receive(bytes) == expected)
        // Every split point into two reads.
        for split in 0...bytes.count {
            let subject = session()
            #expect(subject.receive(bytes[..<split]) + subject.receive(bytes[split...]) == expected, "split at \(split)")
        }
    }

    @Test func nonContiguousInputIsAccepted() {
        let bytes = clientFrame(0x1, Array("Hello".utf8))
        #expect(session().receive(bytes.lazy.map { $0 }) == [.text("Hello")])
    }

    @Test func sixteenBitLength() {
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        let frame = clientFrame(0x2, payload)
        #expect(frame[1] == 0x80 | 126)
        #expect(receiveByteByByte(session(), frame) == [.binary(payload)])
    }

    @Test func sixtyFourBitLength() {
        let payload = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let frame = clientFrame(0x2, payload)
        #expect(frame[1] == 0x80 | 127)
        #expect(session().receive(frame) == [.binary(payload)])
        let subject = session()
        var events: [WebSocketEvent] = []
        for start in stride(from: 0, to: frame.count, by: 4093) { events += subject.receive(frame[start..<min(frame.count, start + 4093)]) }
        #expect(events == [.binary(payload)])
    }

    @Test func fragmentedTextWithCharacterSplitAcrossFragments() {
        let text = Array("caf\u{E9} \u{1F600}!".utf8)  // é is 2 bytes, 😀 is 4
        let bytes = clientFrame(0x1, Array(text[0..<4]), fin: false)  // ends inside é
            + clientFrame(0x9, [1, 2])  // a control frame between fragments
            + clientFrame(0x0, Array(text[4..<8]), fin: false)  // ends inside 😀
            + clientFrame(0x0, Array(text[8...]))
        let expected: [WebSocketEvent] = [.ping([1, 2]), .text("caf\u{E9} \u{1F600}!")]
        #expect(session().receive(bytes) == expected)
        #expect(receiveByteByByte(session(), bytes) == expected)
    }

    @Test func fragmentedBinary() {
        let bytes = clientFrame(0x2, [1], fin: false) + clientFrame(0x0, [], fin: false) + clientFrame(0x0, [2, 3])
        #expect(session().receive(bytes) == [.binary([1, 2, 3])])
    }

    @Test func messageOfExactlyTheLimitIsAccepted() {
        let payload = [UInt8](repeating: 0x61, count: 100)
        #expect(session(limit: 100).receive(clientFrame(0x1, payload)) == [.text(String(repeating: "a", count: 100))])
        let fragments = clientFrame(0x2, Array(payload[..<60]), fin: false) + clientFrame(0x0, Array(payload[60...]))
        #expect(session(limit: 100).receive(fragments) == [.binary(payload)])
    }

    @Test func serverFramesUseTheShortestLength() throws {
        for (count, header) in [(0, [0x82, 0]), (125, [0x82, 125]), (126, [0x82, 126, 0, 126]),
                                (65535, [0x82, 126, 0xFF, 0xFF]), (65536, [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0])] as [(Int, [UInt8])] {
            let subject = session()
            try subject.sendBinary([UInt8](repeating: 9, count: count))
            let output = subject.takeOutput()
            #expect(Array(output.prefix(header.count)) == header, "\(count)")
            #expect(output.count == header.count + count)
        }
        let subject = session()
        try subject.sendText("Hello")
        #expect(subject.takeOutput() == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(subject.takeOutput() == [])
    }

    @Test func unmaskingAtEveryOffsetAndLength() {
        let key: [UInt8] = [0xA1, 0x02, 0xF3, 0x44]
        let mask = WebSocketMask(key[0], key[1], key[2], key[3])
        let data = (0..<41).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        for offset in 0..<4 {
            for count in 0...data.count {
                var bytes = Array(data[..<count])
                bytes.withUnsafeMutableBytes { mask.apply(to: $0, offset: offset) }
                #expect(bytes == (0..<count).map { data[$0] ^ key[($0 + offset) % 4] }, "offset \(offset) count \(count)")
            }
        }
    }
}
