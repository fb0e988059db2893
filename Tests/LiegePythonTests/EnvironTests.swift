import Foundation
import Testing
@testable import LiegePython

@Suite struct EnvironTests {
    /// Runs an app that answers with a JSON document and decodes it.
    private func json(_ source: String, extra: [(name: String, value: [UInt8])] = []) throws -> [String: Any] {
        let app = try PythonFixture.app("import json, sys\n" + source)
        let (outcome, exchange) = PythonFixture.run(app, path: "/caf\u{e9}", extra: extra)
        #expect(outcome == .completed(status: 200, bodyBytes: exchange.sent.count), "\(exchange.log)")
        let object = try JSONSerialization.jsonObject(with: Data(exchange.sent))
        return try #require(object as? [String: Any])
    }

    @Test func environHasEveryCGIVariableAndTheWSGIKeys() throws {
        let info = try json("""
        def application(environ, start_response):
            cgi = {k: v for k, v in environ.items() if not k.startswith('wsgi.')}
            info = {
                'cgi': cgi,
                'cgi_types': sorted({type(v).__name__ for v in cgi.values()}),
                'version': list(environ['wsgi.version']),
                'version_is_tuple': type(environ['wsgi.version']) is tuple,
                'scheme': environ['wsgi.url_scheme'],
                'multithread': environ['wsgi.multithread'],
                'multiprocess': environ['wsgi.multiprocess'],
                'run_once': environ['wsgi.run_once'],
                'terminated': environ['wsgi.input_terminated'],
                'file_wrapper': callable(environ['wsgi.file_wrapper']),
                'input': all(hasattr(environ['wsgi.input'], m)
                             for m in ('read', 'readline', 'readlines', '__iter__')),
                'errors': all(hasattr(environ['wsgi.errors'], m) for m in ('write', 'writelines', 'flush')),
                'latin1': environ['HTTP_X_LATIN'] == 'caf\\xe9',
                'path_latin1': environ['PATH_INFO'] == '/caf\\xc3\\xa9',
                'dict': type(environ) is dict,
            }
            start_response('200 OK', [('Content-Type', 'application/json')])
            return [json.dumps(info).encode()]
        """, extra: [("HTTP_X_LATIN", [0x63, 0x61, 0x66, 0xE9]), ("HTTP_X_EMPTY", [])])
        let cgi = try #require(info["cgi"] as? [String: String])
        #expect(cgi["REQUEST_METHOD"] == "GET")
        #expect(cgi["QUERY_STRING"] == "a=1&b=2")
        #expect(cgi["SERVER_PORT"] == "8080")
        #expect(cgi["SERVER_PROTOCOL"] == "HTTP/1.1")
        #expect(cgi["REMOTE_ADDR"] == "127.0.0.1")
        #expect(cgi["HTTP_HOST"] == "localhost:8080")
        #expect(cgi["HTTP_X_EMPTY"] == "")
        #expect(cgi["SCRIPT_NAME"] == "")
        #expect(cgi.count == 15)
        #expect(info["cgi_types"] as? [String] == ["str"])
        #expect(info["version"] as? [Int] == [1, 0])
        #expect(info["version_is_tuple"] as? Bool == true)
        #expect(info["scheme"] as? String == "http")
        #expect(info["multithread"] as? Bool == true)
        #expect(info["multiprocess"] as? Bool == true)
        #expect(info["run_once"] as? Bool == false)
        #expect(info["terminated"] as? Bool == true)
        #expect(info["file_wrapper"] as? Bool == true)
        #expect(info["input"] as? Bool == true)
        #expect(info["errors"] as? Bool == true)
        #expect(info["latin1"] as? Bool == true)
        #expect(info["path_latin1"] as? Bool == true)
        #expect(info["dict"] as? Bool == true)
    }

    @Test func httpsSchemeIsPassedThrough() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            start_response('200 OK', [])
            return [environ['wsgi.url_scheme'].encode()]
        """)
        let exchange = MemoryExchange()
        let request = WSGIRequest(variables: [("REQUEST_METHOD", Array("GET".utf8))], urlScheme: "https")
        #expect(app.handle(request, exchange: exchange) == .completed(status: 200, bodyBytes: 5))
        #expect(exchange.sentText == "https")
    }

    @Test func sysPathStartsWithPythonpathGlobsThenWorkingDirectory() throws {
        let info = try json("""
        def application(environ, start_response):
            start_response('200 OK', [])
            return [json.dumps({'path': sys.path[:3]}).encode()]
        """)
        let directory = PythonFixture.directory
        #expect(info["path"] as? [String] == [directory + "/lib1", directory + "/lib2", directory])
    }

    @Test func wsgiErrorsIsLineBufferedIntoTheLog() throws {
        let app = try PythonFixture.app("""
        def application(environ, start_response):
            errors = environ['wsgi.errors']
            errors.write('partial ')
            errors.write('line one\\nline two\\n')
            errors.writelines(['three', '\\n', 'tail without newline'])
            errors.flush()
            errors.write('left at the end')
            start_response('200 OK', [])
            return []
        """)
        let (outcome, exchange) = PythonFixture.run(app)
        #expect(outcome == .completed(status: 200, bodyBytes: 0))
        #expect(exchange.logs == ["partial line one\nline two", "three", "tail without newline", "left at the end"])
    }

    @Test func requestObjectsRefuseUseAfterTheRequest() throws {
        let app = try PythonFixture.app("""
        kept = []
        def application(environ, start_response):
            if kept:
                try:
                    kept[0].read()
                    result = b'readable'
                except ValueError as error:
                    result = str(error).encode()
            else:
                kept.append(environ['wsgi.input'])
                result = b'kept'
            start_response('200 OK', [])
            return [result]
        """)
        #expect(PythonFixture.run(app).1.sentText == "kept")
        #expect(PythonFixture.run(app).1.sentText.contains("finished"))
    }
}
