import Foundation
@testable import LiegePython

/// The interpreter, initialised once per test process (program name /usr/bin/python3, 4 threads),
/// and helpers that write real Python apps to a temporary directory that is on sys.path.
enum PythonFixture {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "liege-python-tests-\(ProcessInfo.processInfo.processIdentifier)"
        for folder in ["", "/lib2", "/lib1"] {
            try? FileManager.default.createDirectory(atPath: path + folder, withIntermediateDirectories: true)
        }
        atexit { try? FileManager.default.removeItem(atPath: PythonFixture.directory) }
        return path
    }()

    static let initialised: Bool = {
        do {
            try PythonRuntime.initialize(PythonSettings(pythonpath: [directory + "/lib*"], workingDirectory: directory,
                                                        programName: "/usr/bin/python3", threads: 4))
        } catch {
            fatalError("Python initialisation failed: \(error)")
        }
        PythonRuntime.releaseMainThread()
        return true
    }()

    /// A fresh module name, unique in this process.
    static func uniqueName(_ prefix: String = "app") -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Writes `source` to `<dir>/<relativePath>` (creating folders) and refreshes the import caches.
    @discardableResult
    static func write(_ source: String, to relativePath: String) throws -> String {
        _ = initialised
        let path = directory + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        try PythonRuntime.execute("import importlib; importlib.invalidate_caches()")
        return path
    }

    /// Writes `source` as a new module and loads `callable` from it.
    static func app(_ source: String, callable: String = "application") throws -> WSGIApplication {
        let name = uniqueName()
        try write(source, to: name + ".py")
        return try WSGIApplication.load(module: name, wsgiFile: nil, callable: callable)
    }

    /// Runs one request with an in-memory exchange.
    static func run(_ app: WSGIApplication, path: String = "/", method: String = "GET", body: [UInt8] = [],
                    extra: [(name: String, value: [UInt8])] = [],
                    configure: (MemoryExchange) -> Void = { _ in }) -> (WSGIOutcome, MemoryExchange) {
        let exchange = MemoryExchange(body: body)
        configure(exchange)
        let outcome = app.handle(request(path: path, method: method, bodyLength: body.count, extra: extra),
                                 exchange: exchange)
        return (outcome, exchange)
    }

    static func request(path: String = "/", method: String = "GET", bodyLength: Int = 0,
                        extra: [(name: String, value: [UInt8])] = []) -> WSGIRequest {
        var variables: [(name: String, value: [UInt8])] = [
            ("REQUEST_METHOD", Array(method.utf8)), ("SCRIPT_NAME", []), ("PATH_INFO", Array(path.utf8)),
            ("QUERY_STRING", Array("a=1&b=2".utf8)), ("CONTENT_TYPE", Array("text/plain".utf8)),
            ("CONTENT_LENGTH", Array(String(bodyLength).utf8)), ("SERVER_NAME", Array("localhost".utf8)),
            ("SERVER_PORT", Array("8080".utf8)), ("SERVER_PROTOCOL", Array("HTTP/1.1".utf8)),
            ("REMOTE_ADDR", Array("127.0.0.1".utf8)), ("REMOTE_PORT", Array("50000".utf8)),
            ("REQUEST_URI", Array((path + "?a=1&b=2").utf8)), ("HTTP_HOST", Array("localhost:8080".utf8)),
        ]
        variables += extra
        return WSGIRequest(variables: variables)
    }
}
