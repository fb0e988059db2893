import Testing
@testable import LiegeWorker

@Suite struct AccessLogFormatTests {
    func record(status: Int = 200) -> RequestRecord {
        RequestRecord(
            method: "GET", uri: "/a?b=1", proto: "HTTP/1.1", remoteAddress: "127.0.0.1", remoteUser: "", host: "example.com",
            userAgent: "curl/8", referer: "", status: status, bodyBytes: 13, headerBytes: 80, requestBodyBytes: 0,
            contentLength: "", durationMicroseconds: 2500, startEpochSeconds: 1_700_000_000,
            localTime: "21/Nov/2026:20:44:22 +0000", ctime: "Sat Nov 21 20:44:22 2026", workerID: 2, pid: 42,
            variable: { $0 == "HTTP_X_ID" ? "abc" : nil })
    }

    @Test func defaultFormatLooksLikeNginxCombined() {
        let line = AccessLogFormat(AccessLogFormat.defaultFormat).render(record())
        #expect(line == #"127.0.0.1 - - [21/Nov/2026:20:44:22 +0000] "GET /a?b=1 HTTP/1.1" 200 13 2ms w2"#)
    }

    @Test func customVariables() {
        let line = AccessLogFormat("%(method) %(host) %(micros)us %(var.HTTP_X_ID) %(var.NOPE) %(pid) %(unknown)").render(record())
        #expect(line == "GET example.com 2500us abc - 42 ", "a log variable the app did not set is empty, as in uWSGI")
    }

    @Test func logVariablesSetByTheApp() {
        var record = record()
        record.logVariables = ["user": "ignored", "user_id": "7"]
        #expect(AccessLogFormat("%(user) %(user_id)").render(record) == "- 7", "request variables come first")
    }

    @Test func unterminatedVariableStaysText() {
        #expect(AccessLogFormat("a %(status").render(record()) == "a %(status")
    }
}
