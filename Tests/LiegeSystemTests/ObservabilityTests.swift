import Dispatch
import Testing
@testable import LiegeSystem

@Suite struct ObservabilityTests {
    @Test func slotMetricsCountByClassBucketAndSurviveReset() throws {
        let board = try Scoreboard.create(slots: 2)
        let slot = board[2]
        slot.recordResponse(status: 200, durationMicros: 4_000, bytesSent: 10)
        slot.recordResponse(status: 404, durationMicros: 5_000, bytesSent: 20)    // on the bound: that bucket
        slot.recordResponse(status: 503, durationMicros: 30_000_000, bytesSent: 30)
        slot.recordResponse(status: 99, durationMicros: -5, bytesSent: -1)        // odd values are clamped
        #expect(slot.responsesByStatusClass == [1, 1, 0, 1, 1])
        #expect(slot.responsesTotal == 4)
        #expect(slot.bytesSent == 60)
        #expect(slot.durationSumMicros == 30_009_000)
        let buckets = slot.durationBucketCounts
        #expect(buckets.count == ScoreboardSlot.durationBucketBoundsMicros.count + 1)
        #expect(buckets.first == 3 && buckets.last == 1)
        slot.currentRequest = String(repeating: "x", count: 500)   // the text stays out of the metrics
        #expect(slot.currentRequest.count == 160)
        slot.resetForNewProcess()
        #expect(slot.responsesTotal == 4)
        #expect(board[1].responsesTotal == 0)
    }

    @Test func prometheusTextEscapesAndFormats() {
        var page = PrometheusText()
        page.family("x_total", .counter, help: "a \\ help\nline")
        page.sample("x_total", 3, labels: [("path", "a\"b\\c\nd")])
        page.sample("x_ratio", 0.25)
        page.sample("x_big", 2.0)
        page.histogram("h", bounds: [0.1, 1], counts: [1, 2, 3], sum: 4.5)
        #expect(page.text == """
            # HELP x_total a \\\\ help\\nline
            # TYPE x_total counter
            x_total{path="a\\"b\\\\c\\nd"} 3
            x_ratio 0.25
            x_big 2
            h_bucket{le="0.1"} 1
            h_bucket{le="1"} 3
            h_bucket{le="+Inf"} 6
            h_sum 4.5
            h_count 6

            """)
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
    }

    @Test func emperorMetricsCountEveryState() {
        let page = EmperorMetrics.render([
            EmperorMetrics.Vassal(name: "shop", state: "running", pid: 10, restarts: 2, failures: 0),
            EmperorMetrics.Vassal(name: "blog", state: "backoff", pid: 0, restarts: 5, failures: 3),
        ])
        let lines = page.split(separator: "\n").map(String.init)
        #expect(lines.contains("liege_emperor_vassals{state=\"running\"} 1"))
        #expect(lines.contains("liege_emperor_vassals{state=\"backoff\"} 1"))
        #expect(lines.contains("liege_emperor_vassals{state=\"invalid\"} 0"))
        #expect(lines.contains("liege_emperor_vassal_restarts_total{vassal=\"blog\"} 5"))
        #expect(lines.contains("liege_emperor_vassal_up{vassal=\"blog\"} 0"))
        #expect(lines.contains("liege_emperor_vassal_backoff_level{vassal=\"blog\"} 3"))
        #expect(lines.filter { $0.hasPrefix("# TYPE") }.count == 4)
    }

    @Test func listenQueueOfTCPAndUnixListeners() throws {
        let tcp = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 50)
        let path = "/tmp/liege-lq-\(Posix.processID).sock"
        let unix = try ListeningSocket.bind(.unix(path: path), backlog: 40)
        defer {
            tcp.close()
            unix.close()
            unix.removeSocketFile()
        }
        #expect(ListenQueue.depth(of: tcp.fd)?.waiting == 0)
        #expect(ListenQueue.depth(of: tcp.fd)?.limit == 50)
        #expect(ListenQueue.depth(of: unix.fd)?.limit == 40)
        let port = try tcp.localAddress().description.split(separator: ":").last.flatMap { Int($0) } ?? 0
        let clients = try (0..<3).map { _ in try Connection.connect(to: .tcp(host: "127.0.0.1", port: port)) }
            + (0..<2).map { _ in try Connection.connect(to: .unix(path: path)) }
        defer { clients.forEach { $0.close() } }
        #expect(ListenQueue.depth(of: tcp.fd)?.waiting == 3)
        #expect(ListenQueue.depth(of: unix.fd)?.waiting == 2)
        #expect(ListenQueue.depth(of: 0) == nil)   // not a socket
    }

    @Test func unixDiagReplyParsing() {
        var reply = ByteWriter()
        reply.u32(44); reply.u16(20); reply.u16(0); reply.u32(1); reply.u32(0)          // nlmsghdr
        reply.u8(1); reply.u8(1); reply.u8(10); reply.u8(0); reply.u32(77); reply.u32(0); reply.u32(0)   // unix_diag_msg
        reply.u16(12); reply.u16(4); reply.u32(6); reply.u32(128)                       // UNIX_DIAG_RQLEN
        #expect(ListenQueue.parseUnixDiagReply(reply.bytes)?.waiting == 6)
        #expect(ListenQueue.parseUnixDiagReply(reply.bytes)?.limit == 128)
        #expect(ListenQueue.parseUnixDiagReply(Array(reply.bytes.prefix(20))) == nil)
    }

    @Test func documentServerRawAndHTTP() throws {
        let raw = try DocumentServer.start(.tcp(host: "127.0.0.1", port: 0), style: .raw, label: "test.raw") { request in
            DocumentServer.Response(contentType: "application/json", body: "{\"path\":\"\(request.path)\"}")
        }
        let http = try DocumentServer.start(.tcp(host: "127.0.0.1", port: 0), style: .http, label: "test.http") { request in
            PrometheusText.response(for: request) { "m 1\n" }
        }
        defer {
            raw.stop()
            http.stop()
        }
        #expect(try exchange(raw, send: "") == "{\"path\":\"\"}")
        let ok = try exchange(http, send: "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(ok.hasPrefix("HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\n"))
        #expect(ok.hasSuffix("\r\n\r\nm 1\n"))
        #expect(try exchange(http, send: "GET / HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.0 404 "))
        #expect(DocumentServer.parseRequestLine(Array("garbage\r\n".utf8)) == nil)
    }

    private func exchange(_ server: DocumentServer, send text: String) throws -> String {
        let port = try server.socket.localAddress().description.split(separator: ":").last.flatMap { Int($0) } ?? 0
        let connection = try Connection.connect(to: .tcp(host: "127.0.0.1", port: port))
        defer { connection.close() }
        try connection.setTimeouts(seconds: 5)
        let request = Array(text.utf8)
        if !request.isEmpty { try request.withUnsafeBytes { try connection.writeAll($0) } }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func processMemoryFromStatm() {
        #expect(ProcessMemory.parse(statm: "100 25 3 4 0 50 0\n", pageSize: 4096) == ProcessMemory(residentBytes: 102_400, virtualBytes: 409_600))
        #expect(ProcessMemory.parse(statm: "", pageSize: 4096) == nil)
        #expect((ProcessMemory.of(Posix.processID)?.residentBytes ?? 0) > 0)
        #expect(ProcessMemory.of(0) == nil)
    }
}

@Suite struct ProportionalMemoryTests {
    @Test func smapsRollup() {
        let text = "5633-7ffe ---p 00000000 00:00 0 [rollup]\nRss:  1740 kB\nPss:   305 kB\nShared_Clean: 1588 kB\n"
            + "Private_Clean:   40 kB\nPrivate_Dirty:  112 kB\n"
        #expect(ProportionalMemory.parse(smapsRollup: text) == ProportionalMemory(uniqueBytes: 152 * 1024, proportionalBytes: 305 * 1024))
        #expect(ProportionalMemory.parse(smapsRollup: "") == nil)
        #expect((ProportionalMemory.of(Posix.processID)?.proportionalBytes ?? 0) > 0)
    }
}
