import Testing
@testable import LiegePython

@Suite struct StartResponseTests {
    /// An app that calls start_response with the given Python argument text.
    private func outcome(_ arguments: String) throws -> (WSGIOutcome, MemoryExchange) {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response(\(arguments))
            return [b'body']
        """)
        return PythonFixture.run(app)
    }

    @Test(arguments: [
        "'200 OK', [('X-Caf\\u00e9', 'non-token name')]",
        "'200', []", "'2000 OK', []", "'OK 200', []", "b'200 OK', []", "'200 OK\\r\\nX: y', []", "'099 Low', []",
        "'200 OK', ()", "'200 OK', [('X-A', 'b', 'c')]", "'200 OK', [['X-A', 'b']]", "'200 OK', [(b'X-A', 'b')]",
        "'200 OK', [('X-A', 'b\\r\\nInjected: 1')]", "'200 OK', [('Bad Name', 'b')]", "'200 OK', [('X-A', 'caf\\u20ac')]",
        "'200 OK', [('Connection', 'close')]", "'200 OK', [('Transfer-Encoding', 'chunked')]",
        "'200 OK', [('keep-alive', 'timeout=5')]", "'200 OK', [('Upgrade', 'h2c')]",
    ])
    func invalidStatusOrHeadersFailBeforeHead(arguments: String) throws {
        let (result, exchange) = try outcome(arguments)
        #expect(result == .failedBeforeHead)
        #expect(exchange.events.isEmpty)
        #expect(exchange.log.contains("Error"))
    }

    @Test func validHeadersPassThroughIncludingLatin1() throws {
        let (result, exchange) = try outcome("'404 Not Found', [('X-Name', 'caf\\u00e9 na\\u00efve\\tvalue'), ('Set-Cookie', 'a=1'), ('Set-Cookie', 'b=2')]")
        #expect(result == .completed(status: 404, bodyBytes: 4))
        #expect(exchange.status == "404 Not Found")
        #expect(exchange.headers.map(\.name) == ["X-Name", "Set-Cookie", "Set-Cookie"])
        #expect(exchange.headers.first?.value == "café naïve\tvalue")
        #expect(exchange.headers.first.map { WSGIText.latin1Bytes($0.value) }?.prefix(4) == [0x63, 0x61, 0x66, 0xE9])
    }

    @Test func keywordArgumentsAreAccepted() throws {
        let (result, _) = try outcome("status='200 OK', response_headers=[], exc_info=None")
        #expect(result == .completed(status: 200, bodyBytes: 4))
    }

    @Test func secondCallWithoutExcInfoIsAnError() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [])
            start_response('201 Created', [])
            return [b'x']
        """)
        let (result, exchange) = PythonFixture.run(app)
        #expect(result == .failedBeforeHead)
        #expect(exchange.log.contains("second time"))
    }

    @Test func excInfoBeforeHeadReplacesTheStatus() throws {
        let app = try PythonFixture.app("""
        import sys
        def application(environ, start_response):
            start_response('200 OK', [('X-First', '1')])
            try:
                raise RuntimeError('app trouble')
            except RuntimeError:
                start_response('500 Internal Server Error', [('X-Second', '2')], sys.exc_info())
            return [b'sorry']
        """)
        let (result, exchange) = PythonFixture.run(app)
        #expect(result == .completed(status: 500, bodyBytes: 5))
        #expect(exchange.status == "500 Internal Server Error")
        #expect(exchange.headers.map(\.name) == ["X-Second"])
    }

    @Test func excInfoAfterHeadReraisesTheOriginalException() throws {
        let app = try PythonFixture.app("""
        import sys
        class OriginalProblem(Exception):
            pass
        def application(environ, start_response):
            write = start_response('200 OK', [])
            write(b'partial')
            try:
                raise OriginalProblem('from the app')
            except OriginalProblem:
                start_response('500 Internal Server Error', [], sys.exc_info())
            return [b'never']
        """)
        let (result, exchange) = PythonFixture.run(app)
        #expect(result == .failedAfterHead(status: 200, bodyBytes: 7))
        #expect(exchange.log.contains("OriginalProblem: from the app"))
        #expect(exchange.sentText == "partial")
    }

    @Test func writeBeforeStartResponseAndNonBytesWriteFail() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            write = start_response('200 OK', [])
            write('text')
            return []
        """)
        let (result, exchange) = PythonFixture.run(app)
        #expect(result == .failedBeforeHead)
        #expect(exchange.log.contains("TypeError: write() argument must be bytes, not str"))
    }
}

@Suite struct WSGITextTests {
    @Test func latin1RoundTrip() {
        #expect(WSGIText.latin1Bytes("200 OK") == Array("200 OK".utf8))
        #expect(WSGIText.latin1Bytes("caf\u{e9}\u{ff}") == [0x63, 0x61, 0x66, 0xE9, 0xFF])
        #expect(WSGIText.latin1Bytes("\u{20ac}") == [UInt8(ascii: "?")])
        var buffer = Array("X: ".utf8)
        WSGIText.appendLatin1("na\u{ef}ve", to: &buffer)
        #expect(buffer == Array("X: na".utf8) + [0xEF] + Array("ve".utf8))
    }
}

@Suite struct ResponseRulesTests {
    @Test func statusCodes() {
        #expect(ResponseRules.statusCode("200 OK") == 200)
        #expect(ResponseRules.statusCode("599 Custom reason") == 599)
        #expect(ResponseRules.statusCode("204 ") == 204)
        #expect(ResponseRules.statusCode("200") == nil)
        #expect(ResponseRules.statusCode("20 OK") == nil)
        #expect(ResponseRules.statusCode("200\tOK") == nil)
        #expect(ResponseRules.statusCode("200 OK\n") == nil)
        #expect(ResponseRules.statusCode("2x0 OK") == nil)
    }

    @Test func headerProblems() {
        #expect(ResponseRules.headerProblem(name: "Content-Type", value: "text/html; charset=utf-8") == nil)
        #expect(ResponseRules.headerProblem(name: "X-Tab", value: "a\tb") == nil)
        #expect(ResponseRules.headerProblem(name: "", value: "x") != nil)
        #expect(ResponseRules.headerProblem(name: "X:Y", value: "x") != nil)
        #expect(ResponseRules.headerProblem(name: "X-A", value: "a\nb") != nil)
        #expect(ResponseRules.headerProblem(name: "X-A", value: "a\u{0}b") != nil)
        #expect(ResponseRules.headerProblem(name: "TRANSFER-ENCODING", value: "chunked")?.contains("hop-by-hop") == true)
        #expect(ResponseRules.headerProblem(name: "Proxy-Authenticate", value: "x") != nil)
    }
}
