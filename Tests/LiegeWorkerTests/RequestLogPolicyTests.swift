import Foundation
import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeWorker

/// uWSGI's request-log options: which requests get a line, `%(addr)` from X-Forwarded-For, `req-logger`.
@Suite struct RequestLogPolicyTests {
    func config(_ entries: [(String, String)]) -> Config {
        Config(entries: entries.map { ConfigEntry(key: $0.0, value: $0.1) }, name: "shop", sourceFile: nil, arguments: [])
    }

    func record(status: Int = 200, micros: Int = 1000, body: Int = 5, forwarded: String? = nil) -> RequestRecord {
        RequestRecord(
            method: "GET", uri: "/", proto: "HTTP/1.1", remoteAddress: "10.0.0.1", remoteUser: "", host: "", userAgent: "",
            referer: "", status: status, bodyBytes: body, headerBytes: 40, requestBodyBytes: 0, contentLength: "",
            durationMicroseconds: micros, startEpochSeconds: 0, localTime: "", ctime: "", workerID: 1, pid: 1,
            variable: { $0 == "HTTP_X_FORWARDED_FOR" ? forwarded : nil })
    }

    @Test func everythingIsLoggedUnlessDisabled() {
        let policy = RequestLogPolicy(config: config([]))
        #expect(policy.logs(status: 200, durationMicroseconds: 1, bodyBytes: 1))
        #expect(policy.mayLog)
        let off = RequestLogPolicy(config: config([("disable-logging", "true")]))
        #expect(!off.logs(status: 500, durationMicroseconds: 9_000_000, bodyBytes: 0))
        #expect(!off.mayLog)
    }

    @Test func conditionsBringLinesBackWithDisableLogging() {
        let policy = RequestLogPolicy(config: config([
            ("disable-logging", "true"), ("log-4xx", "true"), ("log-5xx", "true"), ("log-slow", "300"), ("log-zero", "true"),
        ]))
        #expect(policy.mayLog)
        #expect(policy.logs(status: 404, durationMicroseconds: 10, bodyBytes: 3))
        #expect(policy.logs(status: 503, durationMicroseconds: 10, bodyBytes: 3))
        #expect(policy.logs(status: 200, durationMicroseconds: 300_000, bodyBytes: 3))
        #expect(!policy.logs(status: 200, durationMicroseconds: 299_999, bodyBytes: 3))
        #expect(policy.logs(status: 204, durationMicroseconds: 10, bodyBytes: 0))
        #expect(!policy.logs(status: 302, durationMicroseconds: 10, bodyBytes: 3))
        let onlyFive = RequestLogPolicy(config: config([("disable-logging", "true"), ("log-5xx", "true")]))
        #expect(!onlyFive.logs(status: 404, durationMicroseconds: 10, bodyBytes: 3))
    }

    @Test func forwardedAddressReplacesAddrWhenPresent() {
        let format = AccessLogFormat("%(addr)", forwardedAddress: true)
        #expect(format.render(record(forwarded: "203.0.113.7")) == "203.0.113.7")
        #expect(format.render(record()) == "10.0.0.1")
        #expect(AccessLogFormat("%(addr)").render(record(forwarded: "203.0.113.7")) == "10.0.0.1")
    }

    @Test func reqLoggerFileGetsTheLinesTheFilterKeeps() throws {
        let path = FileManager.default.temporaryDirectory.path + "/liege-req-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = AccessLog(config: config([
            ("req-logger", "file:\(path)"), ("disable-logging", "true"), ("log-4xx", "true"), ("log-format", "%(status) %(addr)"),
            ("log-x-forwarded-for", "true"),
        ]))
        log.append(record(status: 200))
        log.append(record(status: 404, forwarded: "198.51.100.2"))
        log.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "404 198.51.100.2\n")
    }
}
