import Foundation
import Testing
@testable import LiegePython

@Suite struct InputTests {
    /// A 1 MB body of numbered lines ("line 000000 xxxx...\n"), 64 bytes each.
    static let body: [UInt8] = {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 20)
        var index = 0
        while bytes.count < 1 << 20 {
            let number = String(index)
            let line = "line " + String(repeating: "0", count: 6 - number.count) + number + " "
                + String(repeating: "x", count: 64 - 13) + "\n"
            bytes += Array(line.utf8)
            index += 1
        }
        return bytes
    }()

    /// Runs an app that reads wsgi.input in some way and answers with a digest of what it read.
    private func check(_ body: String, expected: String, piece: Int = 7_001) throws {
        let app = try PythonFixture.app("""
        import hashlib
        def application(environ, start_response):
            stream = environ['wsgi.input']
        \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            start_response('200 OK', [])
            return [result.encode()]
        """)
        let (outcome, exchange) = PythonFixture.run(app, method: "POST", body: InputTests.body) { $0.readPiece = piece }
        #expect(outcome == .completed(status: 200, bodyBytes: exchange.sent.count), "\(exchange.log)")
        #expect(exchange.sentText == expected)
    }

    @Test func readAllMatchesTheBody() throws {
        let expected = InputTests.body.count
        try check("data = stream.read()\nresult = '%d %s' % (len(data), data[:11].decode())",
                  expected: "\(expected) line 000000")
        try check("data = stream.read(-1)\nresult = '%d' % len(data)", expected: "\(expected)")
        try check("data = stream.read(None)\nresult = '%d' % len(data)", expected: "\(expected)", piece: 1 << 20)
    }

    @Test func readInPiecesReturnsExactSizesUntilTheEnd() throws {
        try check("""
        sizes = []
        total = b''
        while True:
            chunk = stream.read(10000)
            if not chunk:
                break
            sizes.append(len(chunk))
            total += chunk
        result = '%d %d %d %s' % (len(total), sizes.count(10000), sizes[-1], stream.read(5) == b'')
        """, expected: "\(InputTests.body.count) 104 8576 True")
    }

    @Test func readlineAndLimits() throws {
        try check("""
        first = stream.readline()
        part = stream.readline(10)
        rest = stream.readline()
        zero = stream.readline(0)
        result = '%r|%r|%r|%r' % (first, part, rest[:5], zero)
        """, expected: "b'line 000000 \(String(repeating: "x", count: 51))\\n'|b'line 00000'|b'1 xxx'|b''")
    }

    @Test func readlinesWithAndWithoutHint() throws {
        let lines = InputTests.body.count / 64
        try check("""
        some = stream.readlines(200)
        rest = stream.readlines()
        result = '%d %d %s' % (len(some), len(some) + len(rest), rest[-1].startswith(b'line'))
        """, expected: "4 \(lines) True")
    }

    @Test func iterationYieldsEveryLine() throws {
        let lines = InputTests.body.count / 64
        try check("""
        count = 0
        ok = True
        for number, line in enumerate(stream):
            ok = ok and line == b'line %06d ' % number + b'x' * 51 + b'\\n'
            count += 1
        result = '%d %s' % (count, ok)
        """, expected: "\(lines) True")
    }

    @Test func mixedReadsStayInOrder() throws {
        try check("""
        a = stream.read(3)
        b = stream.readline()
        c = stream.read(64)
        d = stream.read()
        whole = a + b + c + d
        result = '%d %s' % (len(whole), hashlib.sha256(whole).hexdigest()[:16])
        """, expected: "\(InputTests.body.count) \(try sha256Prefix())")
    }

    @Test func emptyBodyReadsEmpty() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            s = environ['wsgi.input']
            start_response('200 OK', [])
            return [repr((s.read(), s.read(10), s.readline(), s.readlines(), list(s))).encode()]
        """)
        let (_, exchange) = PythonFixture.run(app)
        #expect(exchange.sentText == "(b'', b'', b'', [], [])")
    }

    @Test func failingBodyReadRaisesOSErrorAndLosesTheConnection() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            environ['wsgi.input'].read()
            start_response('200 OK', [])
            return [b'unreachable']
        """)
        let (outcome, _) = PythonFixture.run(app, body: [1, 2, 3]) { $0.failReading = true }
        #expect(outcome == .connectionLost)

        let catching = try PythonFixture.app("""
        def application(environ, start_response):
            try:
                environ['wsgi.input'].read()
                text = b'read'
            except OSError as error:
                text = b'OSError'
            start_response('400 Bad Request', [])
            return [text]
        """)
        let (caught, exchange) = PythonFixture.run(catching, body: [1, 2, 3]) { $0.failReading = true }
        #expect(caught == .connectionLost)
        #expect(exchange.sentText == "OSError")
        #expect(exchange.events == ["head", "body", "finish"])
    }

    private func sha256Prefix() throws -> String {
        let path = PythonFixture.directory + "/" + PythonFixture.uniqueName("body")
        try Data(InputTests.body).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.prefix(16))
    }
}
