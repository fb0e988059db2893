import Testing
@testable import LiegeHTTP

/// The trailer section of a chunked body: syntax, limits, and the fields no trailer may carry.
@Suite struct TrailerTests {
    private func decode(_ trailer: String, decoder: ChunkedDecoder = ChunkedDecoder()) -> ChunkedDecoder.Step {
        decodeChunked(bytes("5\r\nhello\r\n0\r\n" + trailer), decoder: decoder).step
    }

    private func status(_ step: ChunkedDecoder.Step) -> Int {
        if case .failure(let error) = step { return error.status }
        return 0
    }

    @Test func ordinaryTrailersAreReadAndDiscarded() {
        #expect(decode("\r\n") == .done)
        #expect(decode("X-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n") == .done)
        #expect(decode("X-Empty:\r\nX-Tab:\tv\t\r\n\r\n") == .done)
        #expect(decode("X-Bare-LF: v\n\n") == .done)
        #expect(decode("X-Obs-Text: caf\u{E9}\r\n\r\n") == .done)
        #expect(decode("Proxy: not-a-prefix-match\r\n\r\n") == .done)
        #expect(decode("Content-Lengthy: 1\r\n\r\n") == .done)
        #expect(decode("Hosts: many\r\n\r\n") == .done)
    }

    @Test(arguments: [
        "Content-Length: 99", "content-length: 0", "Transfer-Encoding: chunked", "Trailer: X", "TE: trailers",
        "Host: evil.example.com", "HOST: x", "Connection: close", "Keep-Alive: timeout=5", "Upgrade: websocket",
        "Expect: 100-continue", "Max-Forwards: 0", "Cache-Control: no-cache", "Pragma: no-cache", "Range: bytes=0-1",
        "If-Match: *", "If-None-Match: \"x\"", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
        "If-Unmodified-Since: x", "If-Range: x", "Authorization: Basic eA==", "Proxy-Authorization: Basic eA==",
        "Proxy-Authenticate: Basic", "Proxy-Connection: keep-alive", "Proxy-Some-Very-Long-Field-Name: 1",
        "Cookie: a=b", "Set-Cookie: a=b", "WWW-Authenticate: Basic", "Authentication-Info: x",
        "Content-Type: text/plain", "Content-Encoding: gzip", "Content-Range: bytes 0-1/2", "Content-Location: /x",
    ])
    func forbiddenFieldsAre400(field: String) {
        #expect(status(decode(field + "\r\n\r\n")) == 400, "\(field)")
        #expect(status(decode("X-Ok: 1\r\n" + field + "\r\nX-Ok2: 2\r\n\r\n")) == 400, "\(field) among others")
    }

    @Test func forbiddenFieldFailsByteByByteToo() {
        let result = decodeChunked(bytes("0\r\nContent-Length: 5\r\n\r\n"), pieces: [1])
        #expect(result.step == .failure(.badRequest("content-length is not allowed in a trailer")))
        // it fails at the colon, before the value arrives
        #expect(result.consumed == "0\r\nContent-Length:".utf8.count)
    }

    @Test(arguments: [
        "X-A : v\r\n\r\n",  // whitespace before the colon
        " X-A: v\r\n\r\n",  // starts with folding whitespace
        "X-A: v\r\n continued\r\n\r\n",  // obsolete line folding
        "X-A: v\r\n\tcontinued\r\n\r\n",
        "NoColon\r\n\r\n",
        ": empty-name\r\n\r\n",
        "X-\u{E9}: v\r\n\r\n",  // non-ASCII name
        "X(A): v\r\n\r\n",  // separator in the name
        "X-A: a\u{0}b\r\n\r\n",  // NUL
        "X-A: a\u{7}b\r\n\r\n",  // BEL
        "X-A: a\u{7F}b\r\n\r\n",  // DEL
        "X-A: a\rb\r\n\r\n",  // bare CR
        "X-A: v\r\n\rX",  // bare CR at the end
    ])
    func malformedTrailersAre400(trailer: String) {
        #expect(status(decode(trailer)) == 400, "\(trailer.debugDescription)")
    }

    @Test func trailerFieldCountLimit() {
        let three = "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        #expect(decode(three, decoder: ChunkedDecoder(maxTrailerFields: 3)) == .done)
        #expect(decode(three, decoder: ChunkedDecoder(maxTrailerFields: 2)) == .failure(.tooManyFields))
        #expect(decode(three, decoder: ChunkedDecoder(maxTrailerFields: 0)) == .done)  // 0 = no limit
        let many = String(repeating: "X: v\r\n", count: 101) + "\r\n"
        #expect(decode(many) == .failure(.tooManyFields))  // the default is 100
        #expect(decode(String(repeating: "X: v\r\n", count: 100) + "\r\n") == .done)
    }

    @Test func trailerSizeLimitCountsTheWholeSection() {
        let decoder = ChunkedDecoder(maxTrailerSize: 14)
        #expect(decode("A: 1\r\nB: 2\r\n\r\n", decoder: decoder) == .done)  // 14 bytes
        #expect(decode("A: 1\r\nB: 23\r\n\r\n", decoder: decoder) == .failure(.headTooLarge))
        #expect(status(decode("X: " + String(repeating: "v", count: 70000) + "\r\n\r\n")) == 431)
    }

    @Test func pipelinedBytesAfterTheTrailerAreNotConsumed() {
        let body = "3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"
        let result = decodeChunked(bytes(body + "GET / HTTP/1.1\r\n"))
        #expect(result.step == .done)
        #expect(result.consumed == body.utf8.count)
        #expect(result.body == bytes("abc"))
    }
}
