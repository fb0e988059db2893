import Testing
@testable import LiegeHTTP

@Suite struct CGIVariablesTests {
    private func variables(_ text: String) -> [String: [UInt8]] {
        guard let parsed = head(text), let pathInfo = PercentDecoding.decode(parsed.path) else { return [:] }
        var result: [String: [UInt8]] = [:]
        for (name, value) in parsed.cgiVariables(pathInfo: pathInfo) {
            #expect(result[name] == nil, "\(name) appears once")
            result[name] = value
        }
        return result
    }

    @Test func requestVariables() {
        let env = variables(
            "POST /a%20b?x=%41 HTTP/1.1\r\nHost: h:8\r\nContent-Type: text/plain\r\nContent-Length: 05\r\n"
                + "Accept-Encoding: gzip\r\nX-Multi: 1\r\nx-multi: 2\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n")
        #expect(env["REQUEST_METHOD"] == bytes("POST"))
        #expect(env["REQUEST_URI"] == bytes("/a%20b?x=%41"))
        #expect(env["PATH_INFO"] == bytes("/a b"))
        #expect(env["QUERY_STRING"] == bytes("x=%41"))
        #expect(env["SERVER_PROTOCOL"] == bytes("HTTP/1.1"))
        #expect(env["CONTENT_TYPE"] == bytes("text/plain"))
        #expect(env["CONTENT_LENGTH"] == bytes("5"))
        #expect(env["HTTP_CONTENT_LENGTH"] == nil)
        #expect(env["HTTP_CONTENT_TYPE"] == nil)
        #expect(env["HTTP_HOST"] == bytes("h:8"))
        #expect(env["HTTP_ACCEPT_ENCODING"] == bytes("gzip"))
        #expect(env["HTTP_X_MULTI"] == bytes("1, 2"))
        #expect(env["HTTP_COOKIE"] == bytes("a=1; b=2"))
    }

    @Test func underscoreHeadersCannotPoseAsDashedOnes() {
        let env = variables("GET / HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: evil\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n")
        #expect(env["HTTP_X_FORWARDED_FOR"] == bytes("10.0.0.1"))
        let chunked = variables("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(chunked["CONTENT_LENGTH"] == nil)
        #expect(chunked["HTTP_TRANSFER_ENCODING"] == bytes("chunked"))
    }

    @Test func latin1BytesSurviveTheRoundTrip() {
        let env = variables("GET /caf\u{E9}?q=\u{FF} HTTP/1.1\r\nHost: h\r\nX-Name: Andr\u{E9}\r\n\r\n")
        #expect(env["PATH_INFO"] == [0x2F, 0x63, 0x61, 0x66, 0xE9])
        #expect(env["QUERY_STRING"] == [0x71, 0x3D, 0xFF])
        #expect(env["HTTP_X_NAME"] == [0x41, 0x6E, 0x64, 0x72, 0xE9])
        let all: [UInt8] = Array(0...255)
        #expect(Latin1.bytes(Latin1.string(all)) == all)
        #expect(Latin1.bytes("\u{263A}") == [0xE2, 0x98, 0xBA])
    }

    @Test func headerNames() {
        #expect(RequestHead.cgiName(forHeader: "User-Agent") == "HTTP_USER_AGENT")
        #expect(RequestHead.cgiName(forHeader: "content-type") == "CONTENT_TYPE")
        #expect(RequestHead.cgiName(forHeader: "Content-Length") == "CONTENT_LENGTH")
        #expect(RequestHead.cgiName(forHeader: "x.y") == "HTTP_X.Y")
    }

    @Test func continueResponse() {
        #expect(String(decoding: ResponseHead.continueResponse, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
    }
}
