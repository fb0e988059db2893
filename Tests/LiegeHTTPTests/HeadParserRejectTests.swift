import Testing
@testable import LiegeHTTP

@Suite struct HeadParserRejectTests {
    private let host = "Host: h\r\n"

    @Test(arguments: [
        "G@T / HTTP/1.1\r\n",  // method not a token
        " GET / HTTP/1.1\r\n",  // leading space
        "GET  / HTTP/1.1\r\n",  // two spaces
        "GET / HTTP/1.1 \r\n",  // trailing space
        "GET /\tx HTTP/1.1\r\n",  // tab in target
        "GET /a b HTTP/1.1\r\n",  // space in target
        "GET /\u{7F} HTTP/1.1\r\n",  // DEL in target
        "GET /\u{1} HTTP/1.1\r\n",  // control in target
        "GET\r\n",  // no target
        "GET /\r\n",  // HTTP/0.9
        "GET / \r\n",  // empty version
        "GET / HTTP/1.1x\r\n",
        "GET / HTTP/1.10\r\n",
        "GET / http/1.1\r\n",
        "GET / HTTP/1\r\n",
        "GET / HTTPS/1.1\r\n",
        "GET / HTTP/a.b\r\n",
        "GET foo HTTP/1.1\r\n",  // not origin, absolute, authority or *
        "GET :// HTTP/1.1\r\n",
        "GET http:/x HTTP/1.1\r\n",
        "CONNECT host/x HTTP/1.1\r\n",
        "\u{16}\u{3}\u{1} / HTTP/1.1\r\n",  // a TLS handshake
    ])
    func malformedRequestLines(line: String) {
        #expect(failureStatus(line + host + "\r\n") == 400)
    }

    @Test func nulInPathIs400() {
        #expect(failureStatus("GET /a\u{0}b HTTP/1.1\r\n\(host)\r\n") == 400)
        #expect(failureStatus("GET /a\u{0}") == 400)  // fails before the line ends
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.1", "HTTP/9.9"])
    func otherVersionsAre505(version: String) {
        #expect(failureStatus("GET / \(version)\r\n\(host)\r\n") == 505)
    }

    @Test(arguments: [
        "Host : h\r\n",  // whitespace before colon
        "Host\t: h\r\n",
        "Ho st: h\r\n",
        ": h\r\n",  // empty name
        "NoColon\r\n",
        "X-\u{E9}: v\r\n",  // non-ASCII name
        "X-A: a\u{0}b\r\n",  // NUL in value
        "X-A: a\u{1}b\r\n",  // control in value
        "X-A: a\u{7F}b\r\n",  // DEL in value
        "X-A: a\rb\r\n",  // bare CR in value
        "X-A: a\r\r\n",  // CR before CRLF
        "X-A: a\r\n b\r\n",  // obs-fold
        "X-A: a\r\n\tb\r\n",  // obs-fold with tab
    ])
    func malformedHeaders(field: String) {
        #expect(failureStatus("GET / HTTP/1.1\r\n" + host + field + "\r\n") == 400)
    }

    @Test func whitespaceLineBeforeFirstHeader() {
        #expect(failureStatus("GET / HTTP/1.1\r\n \r\n\(host)\r\n") == 400)
    }

    @Test func bareCRLineEndings() {
        #expect(failureStatus("GET / HTTP/1.1\rHost: h\r\n\r\n") == 400)
        #expect(failureStatus("GET / HTTP/1.1\r\nHost: h\r\r\n") == 400)
        #expect(failureStatus("GET / HTTP/1.1\r\nHost: h\r\n\rX") == 400)
        #expect(failureStatus("\rGET / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test(arguments: [
        "Content-Length: abc\r\n",
        "Content-Length: -1\r\n",
        "Content-Length: +1\r\n",
        "Content-Length: 1.0\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: 1 2\r\n",
        "Content-Length:\r\n",
        "Content-Length: ,\r\n",
        "Content-Length: 5, 6\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 9223372036854775808\r\n",  // Int.max + 1
        "Content-Length: 99999999999999999999999999\r\n",
    ])
    func badContentLength(field: String) {
        #expect(failureStatus("POST / HTTP/1.1\r\n" + host + field + "\r\n") == 400)
    }

    @Test func contentLengthWithTransferEncoding() {
        #expect(failureStatus("POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(failureStatus("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") == 400)
    }

    @Test func transferEncodingRules() {
        let start = "POST / HTTP/1.1\r\n\(host)"
        // chunked not final (or repeated): body length unknown -> 400 (RFC 9112 §6.3)
        #expect(failureStatus(start + "Transfer-Encoding: gzip\r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: chunked, gzip\r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: chunked, chunked\r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: chunked;x=1\r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: \r\n\r\n") == 400)
        #expect(failureStatus(start + "Transfer-Encoding: xchunked\r\n\r\n") == 400)
        // chunked final after a coding Liege does not decode -> 501 (RFC 9112 §6.1)
        #expect(failureStatus(start + "Transfer-Encoding: gzip, chunked\r\n\r\n") == 501)
        #expect(failureStatus(start + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n") == 501)
        // HTTP/1.0 must not use it
        #expect(failureStatus("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
    }

    @Test func hostRules() {
        #expect(failureStatus("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(failureStatus("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == 400)
        #expect(failureStatus("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n") == 400)
        #expect(failureStatus("GET / HTTP/1.0\r\n\r\n") == 0)
        #expect(failureStatus("GET / HTTP/1.1\r\nHost:\r\n\r\n") == 0)  // empty Host is allowed
    }

    @Test func errorsCarryAReason() {
        guard case .failure(let error) = parseHead("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(error == HTTPError(status: 400, reason: "conflicting Content-Length values"))
        #expect(HTTPStatus.reason(error.status) == "Bad Request")
    }
}
