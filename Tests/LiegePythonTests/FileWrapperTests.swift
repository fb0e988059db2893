import Foundation
import Testing
@testable import LiegePython

@Suite struct FileWrapperTests {
    private func makeFile() throws -> (path: String, content: [UInt8]) {
        let content = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = PythonFixture.directory + "/" + PythonFixture.uniqueName("data") + ".bin"
        try Data(content).write(to: URL(fileURLWithPath: path))
        return (path, content)
    }

    private func app(_ path: String) throws -> WSGIApplication {
        try PythonFixture.app("""
        def application(environ, start_response):
            f = open(\(String(reflecting: path)), 'rb')
            f.read(100)
            start_response('200 OK', [('Content-Type', 'application/octet-stream')])
            return environ['wsgi.file_wrapper'](f, 4096)
        """)
    }

    @Test func regularFileGoesThroughSendFileFromTheCurrentPosition() throws {
        let (path, content) = try makeFile()
        let (outcome, exchange) = PythonFixture.run(try app(path))
        #expect(outcome == .completed(status: 200, bodyBytes: content.count - 100))
        #expect(exchange.sendFileCalls.count == 1)
        #expect(exchange.sendFileCalls.first?.offset == 100)
        #expect(exchange.sendFileCalls.first?.count == nil)
        #expect(exchange.knownLength == .some(content.count - 100))
        #expect(exchange.events == ["head", "file", "finish"])
        #expect(exchange.sent == Array(content[100...]))
    }

    @Test func refusedSendFileFallsBackToBlocks() throws {
        let (path, content) = try makeFile()
        let (outcome, exchange) = PythonFixture.run(try app(path)) { $0.acceptSendFile = false }
        #expect(outcome == .completed(status: 200, bodyBytes: content.count - 100))
        #expect(exchange.sendFileCalls.count == 1)
        #expect(exchange.sent == Array(content[100...]))
        #expect(exchange.events.filter { $0 == "body" }.count == (content.count - 100 + 4095) / 4096)
    }

    @Test func fileLikeWithoutFilenoIsIteratedAndClosed() throws {
        let app = try PythonFixture.app("""
        import io
        closed = []
        class Tracked:
            # a file-like without fileno() and without a finalizer that would close it
            def __init__(self, data):
                self.stream = io.BytesIO(data)
            def read(self, size):
                return self.stream.read(size)
            def close(self):
                closed.append(True)
        def application(environ, start_response):
            if environ['PATH_INFO'] == '/closed':
                start_response('200 OK', [])
                return [repr(closed).encode()]
            start_response('200 OK', [])
            return environ['wsgi.file_wrapper'](Tracked(b'abc' * 5000), 1000)
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 200, bodyBytes: 15_000))
        #expect(exchange.sendFileCalls.isEmpty)
        #expect(exchange.events.filter { $0 == "body" }.count == 15)
        #expect(PythonFixture.run(app, path: "/closed").1.sentText == "[True]")
    }
}
