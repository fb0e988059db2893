import Testing
@testable import LiegeHTTP

@Suite struct ResponseHeadTests {
    private func text(_ buffer: [UInt8]) -> String { String(decoding: buffer, as: UTF8.self) }

    private func serialize(
        version: HTTPVersion = .http1_1, headers: [(name: String, value: String)] = [],
        contentLength: Int? = nil, chunked: Bool = false, keepAlive: Bool = true
    ) -> String {
        var buffer: [UInt8] = []
        ResponseHead.serialize(
            version: version, status: "200 OK", headers: headers, date: "Sun, 06 Nov 1994 08:49:37 GMT",
            server: "liege", contentLength: contentLength, chunked: chunked, keepAlive: keepAlive, into: &buffer)
        return text(buffer)
    }

    @Test func addsDateServerAndLength() {
        #expect(serialize(headers: [("Content-Type", "text/plain")], contentLength: 12) == "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: liege\r\n"
            + "Content-Length: 12\r\n\r\n")
    }

    @Test func appHeadersWinCaseInsensitively() {
        let head = serialize(
            headers: [("date", "x"), ("SERVER", "app"), ("content-length", "3"), ("connection", "close")],
            contentLength: 3, keepAlive: false)
        #expect(head == "HTTP/1.1 200 OK\r\ndate: x\r\nSERVER: app\r\ncontent-length: 3\r\nconnection: close\r\n\r\n")
    }

    @Test func chunkedAndConnectionHeaders() {
        #expect(serialize(chunked: true, keepAlive: false).hasSuffix("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"))
        #expect(serialize(version: .http1_0, keepAlive: true).hasSuffix("Server: liege\r\nConnection: keep-alive\r\n\r\n"))
        #expect(serialize(version: .http1_0, keepAlive: false).hasSuffix("Connection: close\r\n\r\n"))
        #expect(serialize(keepAlive: true).hasSuffix("Server: liege\r\n\r\n"))
        #expect(serialize().hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(serialize(version: .http1_0).hasPrefix("HTTP/1.0 200 OK\r\n"))
    }

    @Test func nilDateAndServerAreLeftOut() {
        var buffer: [UInt8] = []
        ResponseHead.serialize(
            version: .http1_1, status: "204 No Content", headers: [], date: nil, server: nil,
            contentLength: nil, chunked: false, keepAlive: true, into: &buffer)
        #expect(text(buffer) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func valuesAreWrittenAsLatin1AndNeverSplitLines() {
        var buffer: [UInt8] = []
        ResponseHead.serialize(
            version: .http1_1, status: "200 OK", headers: [("X-Name", "Andr\u{E9}"), ("X-Evil", "a\r\nSet-Cookie: b"), ("X-Wide", "\u{263A}")],
            date: nil, server: nil, contentLength: nil, chunked: false, keepAlive: true, into: &buffer)
        #expect(buffer == bytes("HTTP/1.1 200 OK\r\nX-Name: Andr\u{E9}\r\nX-Evil: a  Set-Cookie: b\r\nX-Wide: ?\r\n\r\n"))
    }

    @Test func fieldValidation() {
        #expect(ResponseHead.isValidField(name: "X-Ok", value: "a\tb \u{E9}"))
        #expect(!ResponseHead.isValidField(name: "X Bad", value: "v"))
        #expect(!ResponseHead.isValidField(name: "", value: "v"))
        #expect(!ResponseHead.isValidField(name: "X", value: "a\nb"))
        #expect(!ResponseHead.isValidField(name: "X", value: "a\u{0}"))
        #expect(!ResponseHead.isValidField(name: "X", value: "\u{263A}"))
    }

    @Test func simpleErrorPage() {
        let page = text(ResponseHead.simple(status: 404, version: .http1_1, body: "", keepAlive: false, date: "D"))
        #expect(page == "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nDate: D\r\n"
            + "Server: liege\r\nContent-Length: 14\r\nConnection: close\r\n\r\n404 Not Found\n")
        let custom = text(ResponseHead.simple(status: 503, version: .http1_1, body: "busy", keepAlive: true, date: nil))
        #expect(custom.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(custom.hasSuffix("Content-Length: 4\r\n\r\nbusy"))
    }

    @Test func statusPhrases() {
        #expect(HTTPStatus.reason(200) == "OK")
        #expect(HTTPStatus.reason(400) == "Bad Request")
        #expect(HTTPStatus.reason(414) == "URI Too Long")
        #expect(HTTPStatus.reason(431) == "Request Header Fields Too Large")
        #expect(HTTPStatus.reason(505) == "HTTP Version Not Supported")
        #expect(HTTPStatus.reason(799) == "Unknown")
        #expect(HTTPStatus.line(500) == "500 Internal Server Error")
    }

    @Test func chunkHeaders() {
        var buffer: [UInt8] = []
        ChunkEncoding.chunkHeader(length: 26, into: &buffer)
        ChunkEncoding.chunkHeader(length: 1, into: &buffer)
        ChunkEncoding.chunkHeader(length: 0x10000, into: &buffer)
        ChunkEncoding.chunkHeader(length: 0, into: &buffer)
        #expect(text(buffer) == "1a\r\n1\r\n10000\r\n0\r\n")
        #expect(text(ChunkEncoding.lastChunk) == "0\r\n\r\n")
        var chunk: [UInt8] = []
        bytes("hello").withUnsafeBytes { ChunkEncoding.chunk($0, into: &chunk) }
        [UInt8]().withUnsafeBytes { ChunkEncoding.chunk($0, into: &chunk) }
        #expect(text(chunk) == "5\r\nhello\r\n")
    }

    @Test func decimalDigits() {
        for value in [0, 7, 10, 99, 12345, Int.max, -42] {
            var buffer: [UInt8] = []
            Digits.appendDecimal(value, to: &buffer)
            #expect(text(buffer) == String(value))
        }
        var padded: [UInt8] = []
        Digits.appendDecimal(5, minimumWidth: 4, to: &padded)
        #expect(text(padded) == "0005")
    }
}
