import Testing
@testable import LiegeHTTP

@Suite struct PercentDecodingTests {
    @Test func decodesEscapesInEitherCase() {
        #expect(PercentDecoding.decode("/a%2eb") == bytes("/a.b"))
        #expect(PercentDecoding.decode("/a%2Eb%2F") == bytes("/a.b/"))
        #expect(PercentDecoding.decode("%20%41%7e") == bytes(" A~"))
        #expect(PercentDecoding.decode("%00") == [0])
        #expect(PercentDecoding.decode("%ff%C3%A9") == [0xFF, 0xC3, 0xA9])
        #expect(PercentDecoding.decode("") == [])
        #expect(PercentDecoding.decode("a+b") == bytes("a+b"))
    }

    @Test func decodesOnlyOnce() {
        #expect(PercentDecoding.decode("%252e") == bytes("%2e"))
        #expect(PercentDecoding.decode("/%252e%252e/x") == bytes("/%2e%2e/x"))
    }

    @Test(arguments: ["%", "%2", "a%g0", "%0g", "%%", "/x%2", "%\u{E9}1", "%1\u{263A}"])
    func rejectsBadEscapes(text: String) {
        #expect(PercentDecoding.decode(text) == nil)
    }

    @Test func substringsAndLatin1Characters() {
        let text = "/pre/caf\u{E9}%20x"
        #expect(PercentDecoding.decode(text.dropFirst(5)) == [0x63, 0x61, 0x66, 0xE9, 0x20, 0x78])
        #expect(PercentDecoding.decode("\u{263A}%41") == [0xE2, 0x98, 0xBA, 0x41])
    }
}
