import Testing
@testable import LiegeHTTP

/// Builds a uwsgi packet the way nginx does.
func uwsgiPacket(_ variables: [(String, String)], modifier1: UInt8 = 0, modifier2: UInt8 = 0) -> [UInt8] {
    var body: [UInt8] = []
    for (name, value) in variables {
        for part in [bytes(name), bytes(value)] {
            body.append(UInt8(part.count & 0xFF))
            body.append(UInt8(part.count >> 8))
            body.append(contentsOf: part)
        }
    }
    return [modifier1, UInt8(body.count & 0xFF), UInt8(body.count >> 8), modifier2] + body
}

@Suite struct UwsgiPacketParserTests {
    private let variables = [
        ("REQUEST_METHOD", "GET"), ("PATH_INFO", "/caf\u{E9}"), ("QUERY_STRING", ""),
        ("HTTP_HOST", String(repeating: "h", count: 300)), ("CONTENT_LENGTH", "3"),
    ]

    @Test func validPacket() throws {
        let packet = uwsgiPacket(variables, modifier2: 7)
        guard case .complete(let request, let consumed) = UwsgiPacketParser().parse(packet + bytes("abc")) else {
            Issue.record("expected a complete packet")
            return
        }
        #expect(consumed == packet.count)
        #expect(request.modifier1 == 0)
        #expect(request.modifier2 == 7)
        #expect(request.variables.map(\.name) == variables.map(\.0))
        #expect(request.variables.map(\.value) == variables.map { bytes($0.1) })
        #expect(request.value("PATH_INFO") == [0x2F, 0x63, 0x61, 0x66, 0xE9])
        #expect(request.value("QUERY_STRING") == [])
        #expect(request.value("NOPE") == nil)
    }

    @Test func emptyPacket() {
        guard case .complete(let request, let consumed) = UwsgiPacketParser().parse([0, 0, 0, 0]) else {
            Issue.record("expected a complete packet")
            return
        }
        #expect(consumed == 4)
        #expect(request.variables.isEmpty)
    }

    @Test func everySplitPointNeedsMore() {
        let packet = uwsgiPacket(variables)
        let parser = UwsgiPacketParser()
        for cut in 0..<packet.count {
            guard case .needMore = parser.parse(Array(packet[0..<cut])) else {
                Issue.record("prefix of \(cut) bytes")
                return
            }
        }
    }

    @Test func oversizeIs431AsSoonAsTheHeaderArrives() {
        let packet = uwsgiPacket(variables)
        let parser = UwsgiPacketParser(maxPacketSize: 100)
        guard case .failure(let error) = parser.parse(Array(packet[0..<4])) else {
            Issue.record("expected 431")
            return
        }
        #expect(error.status == 431)
        guard case .complete = UwsgiPacketParser(maxPacketSize: packet.count - 4).parse(packet) else {
            Issue.record("a packet exactly at the limit must parse")
            return
        }
    }

    @Test(arguments: [
        [0, 1, 0, 0, 5] as [UInt8],  // one byte where a key length should be
        [0, 3, 0, 0, 5, 0, 0x41],  // key longer than the packet
        [0, 4, 0, 0, 1, 0, 0x41, 0],  // value length cut
        [0, 8, 0, 0, 1, 0, 0x41, 9, 0, 0x42, 0x43, 0x44],  // value longer than the packet
    ])
    func truncatedVariableIs400(packet: [UInt8]) {
        guard case .failure(let error) = UwsgiPacketParser().parse(packet) else {
            Issue.record("expected 400")
            return
        }
        #expect(error.status == 400)
    }

    @Test func otherModifiersAre501() {
        for modifier in [UInt8(5), 30, 255] {
            guard case .failure(let error) = UwsgiPacketParser().parse(uwsgiPacket(variables, modifier1: modifier)) else {
                Issue.record("expected 501 for modifier \(modifier)")
                continue
            }
            #expect(error.status == 501)
        }
        guard case .failure = UwsgiPacketParser().parse([1]) else {
            Issue.record("a bad modifier fails on the first byte")
            return
        }
    }
}
