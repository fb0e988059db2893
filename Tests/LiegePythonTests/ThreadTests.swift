import Foundation
import Testing
@testable import LiegePython

@Suite struct ThreadTests {
    @Test func fourThreadsTwoHundredRequestsEach() throws {
        let app = try PythonFixture.app("""
        import threading
        counter = [0]
        lock = threading.Lock()
        def application(environ, start_response):
            with lock:
                counter[0] += 1
            body = environ['wsgi.input'].read()
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [b'echo:', body]
        """)
        let failures = ManagedCounter()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<200 {
                let body = Array("thread \(thread) request \(index)".utf8)
                let (outcome, exchange) = PythonFixture.run(app, method: "POST", body: body)
                if outcome != .completed(status: 200, bodyBytes: body.count + 5) || exchange.sent != Array("echo:".utf8) + body {
                    failures.increment()
                }
            }
        }
        #expect(failures.value == 0)
    }

    @Test func pythonBackgroundThreadRunsWhileExchangeBlocks() throws {
        let app = try PythonFixture.app("""
        import threading, time
        ticks = []
        def tick():
            for _ in range(20):
                ticks.append(1)
                time.sleep(0.001)
        def application(environ, start_response):
            if environ['PATH_INFO'] == '/start':
                threading.Thread(target=tick).start()
                start_response('200 OK', [])
                return [b'started']
            start_response('200 OK', [])
            return [str(len(ticks)).encode()]
        """)
        _ = PythonFixture.run(app, path: "/start")
        Thread.sleep(forTimeInterval: 0.3)   // no GIL held here: the Python thread must progress
        #expect(PythonFixture.run(app, path: "/count").1.sentText == "20")
    }
}

extension ThreadTests {
    @Test func secondThreadWritingDuringASendIsRefused() throws {
        let app = try PythonFixture.app("""
        import threading, time
        def application(environ, start_response):
            write = start_response('200 OK', [])
            result = []
            def other():
                time.sleep(0.02)
                try:
                    write(b'b')
                    result.append(b'sent')
                except RuntimeError:
                    result.append(b'refused')
            thread = threading.Thread(target=other)
            thread.start()
            write(b'a')
            thread.join()
            return [b'|'] + result
        """)
        let (outcome, exchange) = PythonFixture.run(app) { $0.sendDelay = 0.2 }
        #expect(outcome == .completed(status: 200, bodyBytes: 9))
        #expect(exchange.sentText == "a|refused")
    }
}

final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
