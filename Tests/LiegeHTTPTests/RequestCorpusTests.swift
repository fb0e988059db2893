import Testing
@testable import LiegeHTTP

/// Cases in the spirit of gunicorn's request corpus (tests/requests/valid and invalid), written
/// afresh: each names the rule it checks. Heads only; chunked bodies are in ChunkedDecoderTests
/// and TrailerTests.
@Suite struct RequestCorpusTests {
    @Test(arguments: [
        "GET * HTTP/1.1", "POST * HTTP/1.1", "M-SEARCH * HTTP/1.1", "options * HTTP/1.1",  // methods are case-sensitive
        "HEAD * HTTP/1.0",
    ])
    func asteriskTargetIsOnlyForOptions(line: String) {
        #expect(parseHead(line + "\r\nHost: h\r\n\r\n").failureError == .badRequest("* target with a method other than OPTIONS"))
    }

    @Test func asteriskTargetForms() {
        #expect(failureStatus("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") == 0)
        #expect(failureStatus("OPTIONS * HTTP/1.0\r\n\r\n") == 0)
        #expect(failureStatus("OPTIONS ** HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(failureStatus("OPTIONS *?x HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(failureStatus("OPTIONS / HTTP/1.1\r\nHost: h\r\n\r\n") == 0)
    }

    @Test(arguments: [
        "GET example.com:443 HTTP/1.1",  // authority-form without CONNECT
        "GET foo/bar HTTP/1.1",  // relative reference
        "GET ?x HTTP/1.1",
        "GET\n/\nHTTP/1.1",  // LF as separator
        "GET\0 /foo HTTP/1.1",  // NUL after the method
        "GET: /x HTTP/1.1",  // colon in the method
        "bla:rgh /foo HTTP/1.1",
        "GET\u{DF} /x HTTP/1.1",  // non-ASCII in the method
        "GET /foo FTP/1.1",
        "GET /foo HTTP/111",
        "GET /foo HTTP/0.99",
        "GET /x HTTP/11111111111111111111111111111111.1",
        "PUT s://]ufd/: HTTP/1.1",  // not an authority
        "GET http://a b/ HTTP/1.1",
        "GET http://u@[c/ HTTP/1.1",
        "GET http://[::1/x HTTP/1.1",
        "GET http://host:port/ HTTP/1.1",
    ])
    func badRequestLines(line: String) {
        #expect(failureStatus(line + "\r\nHost: h\r\n\r\n") == 400, "\(line.debugDescription)")
    }

    @Test(arguments: [
        "Content-Length : 3",  // whitespace before the colon
        "Content-Length\u{DF}: 3",  // non-ASCII in the name
        "ba\0z: bar",  // NUL in the name
        "X-Value: plain\u{7}injected",  // BEL in the value
        "X-Value: plain\u{7F}injected",  // DEL in the value
        "X-Value: a\u{B}b",  // VT
        "X-Value: a\u{C}b",  // FF
        "Content-Length: -0", "Content-Length: 0_1", "Content-Length: +1", "Content-Length: 0 1", "Content-Length: 3 1",
        "Content-Length: 1E3", "Content-Length: bla-bla-bla",
        "Content-Length: 3\r\nContent-Length: 2",  // conflicting lengths
        "Content-Type: application/json\r\nContent-Type: text/html",  // a singleton twice
        "Content-Type: text/html\r\ncontent-type: text/html",
        "Host: evil.example.com",  // a second Host (the first one comes from the test)
        "Long: one\r\n two",  // obsolete line folding
        "Transfer-Encoding: \tchunked\r\nContent-Length: 12",  // both framings
        "Transfer-Encoding: identity, chunked, identity, chunked",  // chunked twice
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",  // chunked not last
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip",
    ])
    func badFields(field: String) {
        #expect(failureStatus("POST /p HTTP/1.1\r\nHost: example.com\r\n" + field + "\r\n\r\n") == 400, "\(field.debugDescription)")
    }

    @Test func transferEncodingInHTTP10IsRefusedWhateverTheCoding() {
        #expect(failureStatus("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(failureStatus("POST / HTTP/1.0\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 400)
        #expect(failureStatus("POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n") == 400)
    }

    @Test(arguments: [
        "a b", "a/b", "a@b", "user@evil.example", "a?b", "a#b", "a\\b", "\"a\"", "a<b>", "caf\u{E9}.example",
        "a{b}", "a|b", "a^b", "a`b", "]ufd", "[::1", "[]", "[::1]x", "a:b:c", "a:80x", "a[b]", "[a[b]]",
    ])
    func invalidHostValuesAre400(value: String) {
        #expect(parseHead("GET / HTTP/1.1\r\nHost: \(value)\r\n\r\n").failureError == .badRequest("invalid Host header"),
                "\(value.debugDescription)")
    }

    @Test(arguments: [
        "example.com", "example.com:8080", "0.0.0.0:5000", "[::1]:8080", "[fe80::1%25eth0]", "under_score.local",
        "xn--caf-dma.example", "localhost:", "a-b.c~d", "!$&'()*+,;=", "[v1.x]:1", "a,b", "",
    ])
    func validHostValues(value: String) {
        #expect(failureStatus("GET / HTTP/1.1\r\nHost: \(value)\r\n\r\n") == 0, "\(value)")
    }

    @Test func validOddities() throws {
        // repeated fields that are lists stay as separate lines
        let ifMatch = try #require(head("GET / HTTP/1.0\r\nIf-Match: bazinga!\r\nIf-Match: large-sound\r\n\r\n"))
        #expect(ifMatch.headers.filter { $0.name == "If-Match" }.count == 2)
        // any token is a method, a name may use every tchar, values keep inner whitespace
        #expect(head("-BLARGH /foo HTTP/1.1\r\nHost: h\r\n\r\n")?.method == "-BLARGH")
        #expect(head("GET /silly HTTP/1.1\r\nHost: h\r\naaaaaaaaaaaaa:++++++++++\r\n\r\n")?.headers[1].value == "++++++++++")
        #expect(head("GET / HTTP/1.1\r\nHost: h\r\nX.Custom|Pipe: ok\r\n\r\n")?.header("x.custom|pipe") == "ok")
        #expect(head("GET / HTTP/1.1\r\nHost: h\r\nName: \t value \t \r\n\r\n")?.header("Name") == "value")
        // repeated identical lengths agree, underscored names are kept (the environ drops them)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n")?.contentLength == 5)
        let underscored = try #require(head("GET / HTTP/1.0\r\nTransfer_Encoding: tricked\r\nContent-Length: 7\r\nContent_Length: -1E23\r\n\r\n"))
        #expect(underscored.contentLength == 7)
        #expect(!underscored.isChunked)
        // empty path segments and quotes in the target
        #expect(head("GET ///keeping_slashes HTTP/1.1\r\nHost: h\r\n\r\n")?.path == "///keeping_slashes")
        #expect(head("GET /with_\"quotes\"?foo=\"bar\" HTTP/1.1\r\nHost: h\r\n\r\n")?.query == "foo=\"bar\"")
        // absolute forms with a port, an IPv6 literal or userinfo give the path
        #expect(head("GET http://[::1]:8080/foo HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")?.path == "/foo")
        #expect(head("GET http://user:pass@example.com:8080/foo?q=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n")?.path == "/foo")
        #expect(head("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n")?.path == "[::1]:443")
    }
}
