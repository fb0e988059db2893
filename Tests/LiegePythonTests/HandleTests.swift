import Foundation
import Testing
@testable import LiegePython

@Suite struct HandleTests {
    @Test func helloWorldSendsHeadBodyAndKnownLength() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [b'Hello, World!']
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 200, bodyBytes: 13))
        #expect(exchange.status == "200 OK")
        #expect(exchange.header("Content-Type") == "text/plain")
        #expect(exchange.knownLength == .some(13))
        #expect(exchange.sentText == "Hello, World!")
        #expect(exchange.events == ["head", "body", "finish"])
    }

    @Test func emptyListSendsHeadWithZeroLength() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('204 No Content', [])
            return []
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 204, bodyBytes: 0))
        #expect(exchange.knownLength == .some(0))
        #expect(exchange.events == ["head", "finish"])
    }

    @Test func appContentLengthMeansNoKnownLength() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [('Content-Length', '2')])
            return [b'ok']
        """)
        let (_, exchange) = PythonFixture.run(app)
        #expect(exchange.knownLength == .some(nil))
    }

    @Test func streamingGeneratorSendsHeadWithFirstNonEmptyChunk() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            yield b''
            yield b'one '
            yield b''
            yield b'two'
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 200, bodyBytes: 7))
        #expect(exchange.knownLength == .some(nil))
        #expect(exchange.events == ["head", "body", "body", "finish"])
        #expect(exchange.sentText == "one two")
    }

    @Test func lazyStartResponseInsideGeneratorWorks() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            yield b''
            start_response('201 Created', [])
            yield b'made'
        """)
        let (outcome, _) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 201, bodyBytes: 4))
    }

    @Test func writeCallableSendsBeforeTheIterable() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            write = start_response('200 OK', [])
            write(b'')
            write(b'first,')
            write(b'second,')
            return [b'last']
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 200, bodyBytes: 17))
        #expect(exchange.sentText == "first,second,last")
        #expect(exchange.knownLength == .some(nil))
        #expect(exchange.events == ["head", "body", "body", "body", "finish"])
    }

    @Test func closeIsCalledOnSuccessAndOnFailure() throws {
        let marker = PythonFixture.directory + "/" + PythonFixture.uniqueName("closed")
        let app = try PythonFixture.app("""
        class Body:
            def __init__(self, fail):
                self.fail = fail
            def __iter__(self):
                yield b'x'
                if self.fail:
                    raise ValueError('boom in iteration')
            def close(self):
                with open(\(String(reflecting: marker)), 'a') as f:
                    f.write('closed\\n')

        def application(environ, start_response):
            start_response('200 OK', [])
            return Body(environ['PATH_INFO'] == '/fail')
        """)
        let (good, _) = PythonFixture.run(app)
        #expect(good == .completed(status: 200, bodyBytes: 1))
        let (bad, exchange) = PythonFixture.run(app, path: "/fail")
        #expect(bad == .failedAfterHead(status: 200, bodyBytes: 1))
        #expect(exchange.log.contains("boom in iteration"))
        #expect(!exchange.events.contains("finish"))
        let closes = try String(contentsOfFile: marker, encoding: .utf8)
        #expect(closes == "closed\nclosed\n")
    }

    @Test func appExceptionBeforeHeadIsFailedBeforeHeadWithTraceback() throws {
        let app = try PythonFixture.app("""
        def helper_that_fails():
            raise KeyError('missing-thing')

        def application(environ, start_response):
            helper_that_fails()
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .failedBeforeHead)
        #expect(exchange.events.isEmpty)
        #expect(exchange.log.contains("Traceback (most recent call last)"))
        #expect(exchange.log.contains("helper_that_fails"))
        #expect(exchange.log.contains("KeyError: 'missing-thing'"))
    }

    @Test func strInsteadOfBytesIsATypeErrorBeforeHead() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [])
            return ['text, not bytes']
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .failedBeforeHead)
        #expect(exchange.events.isEmpty)
        #expect(exchange.log.contains("TypeError"))
        #expect(exchange.log.contains("bytes"))
    }

    @Test func missingStartResponseIsAFailure() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            return [b'no status']
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .failedBeforeHead)
        #expect(exchange.log.contains("start_response"))
    }

    @Test func clientGoneWhileSendingIsConnectionLost() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [])
            yield b'a'
            yield b'b'
        """)
        let (outcome, _) = PythonFixture.run(app) { $0.failSendingBody = true }
        #expect(outcome == .connectionLost)
    }

    @Test func clientGoneDuringWriteIsConnectionLost() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            write = start_response('200 OK', [])
            write(b'data')
            return []
        """)
        let (outcome, exchange) = PythonFixture.run(app) { $0.failSendingBody = true }
        #expect(outcome == .connectionLost)
        #expect(exchange.logs.isEmpty)
    }
}
