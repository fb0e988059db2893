import Testing
@testable import LiegeHTTP

@Suite struct HeadParserAcceptTests {
    @Test func simpleGet() throws {
        let parsed = try #require(head("GET /hello?x=1&y=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8\r\n\r\n"))
        #expect(parsed.method == "GET")
        #expect(parsed.target == "/hello?x=1&y=%20")
        #expect(parsed.path == "/hello")
        #expect(parsed.query == "x=1&y=%20")
        #expect(parsed.version == .http1_1)
        #expect(parsed.headers.map(\.name) == ["Host", "User-Agent"])
        #expect(parsed.headers.map(\.value) == ["example.com", "curl/8"])
        #expect(parsed.contentLength == nil)
        #expect(!parsed.isChunked)
        #expect(parsed.keepAlive)
        #expect(!parsed.expectsContinue)
        #expect(!parsed.hasBody)
    }

    @Test func queryKeepsLaterQuestionMarksAndEmptyQuery() throws {
        let parsed = try #require(head("GET /a%3F?b?c HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(parsed.path == "/a%3F")
        #expect(parsed.query == "b?c")
        let empty = try #require(head("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(empty.path == "/a")
        #expect(empty.query == "")
    }

    @Test func valuesAreTrimmedAndKeepInnerSpaces() throws {
        let parsed = try #require(head("GET / HTTP/1.1\r\nHost:h\r\nX-A: \t a  b \t\r\nX-Empty:\r\nX-Blank:   \r\n\r\n"))
        #expect(parsed.headers.map(\.value) == ["h", "a  b", "", ""])
        #expect(parsed.header("x-a") == "a  b")
        #expect(parsed.header("missing") == nil)
    }

    @Test func http10DefaultsAndKeepAlive() throws {
        let plain = try #require(head("GET / HTTP/1.0\r\n\r\n"))
        #expect(plain.version == .http1_0)
        #expect(!plain.keepAlive)
        let kept = try #require(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"))
        #expect(kept.keepAlive)
    }

    @Test func connectionCloseInAList() throws {
        let parsed = try #require(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: TE, close\r\n\r\n"))
        #expect(!parsed.keepAlive)
        let upgrade = try #require(head("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\n\r\n"))
        #expect(upgrade.keepAlive)
    }

    @Test func contentLengthForms() throws {
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 42\r\n\r\n")?.contentLength == 42)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")?.contentLength == 0)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n")?.contentLength == 7)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 5\r\nContent-Length: 5\r\n\r\n")?.contentLength == 5)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5,5\r\n\r\n")?.contentLength == 5)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\n")?.contentLength == Int.max)
        #expect(head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n")?.hasBody == true)
    }

    @Test func chunkedTransferEncoding() throws {
        let parsed = try #require(head("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"))
        #expect(parsed.isChunked)
        #expect(parsed.contentLength == nil)
        #expect(parsed.hasBody)
    }

    @Test func expectContinue() throws {
        #expect(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n")?.expectsContinue == true)
        #expect(head("PUT / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n")?.expectsContinue == false)
        #expect(head("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n")?.expectsContinue == false)
    }

    @Test func bareLFLineEndingsAreAccepted() throws {
        let parsed = try #require(head("GET /x HTTP/1.1\nHost: h\nA: b\n\n"))
        #expect(parsed.headers.count == 2)
        #expect(parsed.header("a") == "b")
    }

    @Test func leadingEmptyLinesAreSkipped() throws {
        let text = "\r\n\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"
        let parsed = try #require(head(text))
        #expect(parsed.method == "GET")
    }

    @Test func tokenMethodsAndTargetForms() throws {
        let asterisk = try #require(head("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(asterisk.method == "OPTIONS")
        #expect(asterisk.path == "*")
        let absolute = try #require(head("GET http://example.com:80/a/b?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"))
        #expect(absolute.target == "http://example.com:80/a/b?q=1")
        #expect(absolute.path == "/a/b")
        #expect(absolute.query == "q=1")
        #expect(head("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")?.path == "/")
        #expect(head("GET https://example.com?x HTTP/1.1\r\nHost: example.com\r\n\r\n")?.path == "/")
        let connect = try #require(head("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
        #expect(connect.path == "example.com:443")
    }

    @Test func nonASCIIBytesBecomeLatin1Characters() throws {
        let parsed = try #require(head("GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\nX-Name: Andr\u{E9}\r\n\r\n"))
        #expect(parsed.path == "/caf\u{E9}")
        #expect(parsed.header("X-Name") == "Andr\u{E9}")
        #expect(Array(parsed.path.unicodeScalars.map(\.value)) == [0x2F, 0x63, 0x61, 0x66, 0xE9])
    }

    @Test func unusualButValidHeaderBytes() throws {
        let parsed = try #require(head("GET / HTTP/1.1\r\nHost: h\r\nX-Weird!#$%&'*+-.^_`|~: \"quoted\" <v> ;=\r\n\r\n"))
        #expect(parsed.headers[1].name == "X-Weird!#$%&'*+-.^_`|~")
        #expect(parsed.headers[1].value == "\"quoted\" <v> ;=")
    }
}
