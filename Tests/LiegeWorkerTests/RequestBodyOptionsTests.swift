import LiegeConfig
import Testing
@testable import LiegeWorker

/// post-buffering's body store, http-timeout's share of the connection timeouts, memory-report's text.
@Suite struct RequestBodyOptionsTests {
    func config(_ entries: [(String, String)]) -> Config {
        Config(entries: entries.map { ConfigEntry(key: $0.0, value: $0.1) }, name: "t", sourceFile: nil, arguments: [])
    }

    func job() -> RequestJob {
        return RequestJob(channel: ConnectionChannel(fd: -1, mailbox: try! LoopMailbox()), request: .init(variables: []),
                          log: LogFields(uwsgi: []), version: .init(major: 1, minor: 1), isHead: false, canChunk: true,
                          keepAlive: false, expectsContinue: false)
    }

    func readAll(_ body: BufferedBody) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 777)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try body.read(into: $0) }
            if count == 0 { return out }
            out += chunk[..<count]
        }
    }

    @Test func bodiesStayInMemoryUpToTheLimitAndGoToAFileBeyond() throws {
        let small = try PostBuffer(job: job(), limit: 1000, announcedLength: 999)
        try small.append(Array(repeating: 1, count: 999))
        let smallBody = small.finish()
        #expect(!smallBody.isOnDisk && smallBody.count == 999)
        #expect(try readAll(smallBody) == Array(repeating: 1, count: 999))

        let announced = try PostBuffer(job: job(), limit: 1000, announcedLength: 1000)
        try announced.append(Array(0..<200).map { UInt8($0) })
        #expect(announced.finish().isOnDisk)

        let chunked = try PostBuffer(job: job(), limit: 1000, announcedLength: nil)
        let data = (0..<5000).map { UInt8($0 % 251) }
        try chunked.append(Array(data[..<600]))
        try chunked.append(Array(data[600..<1100]))
        try chunked.append(Array(data[1100...]))
        let spilled = chunked.finish()
        #expect(spilled.isOnDisk && spilled.count == 5000)
        #expect(try readAll(spilled) == data)
    }

    @Test func httpTimeoutIsTheClientTimeoutOfHTTPConnections() {
        let plain = config([("socket-timeout", "20")])
        #expect(ConnectionTimeouts(config: plain, http: true) == ConnectionTimeouts(header: 20, body: 20, send: 20))
        let both = config([("socket-timeout", "20"), ("http-timeout", "90"), ("http-header-timeout", "5")])
        #expect(ConnectionTimeouts(config: both, http: true) == ConnectionTimeouts(header: 5, body: 90, send: 90))
        #expect(ConnectionTimeouts(config: both, http: false) == ConnectionTimeouts(header: 5, body: 20, send: 20))
        #expect(ConnectionTimeouts(config: config([]), http: false) == ConnectionTimeouts(header: 30, body: 30, send: 30))
    }

    @Test func memoryReportText() {
        var report = MemoryReport(addressSpace: 300 << 20, resident: 25 << 20 + 5)
        #expect(report.linePrefix == "{address space usage: 314572800 bytes/300MB} {rss usage: 26214405 bytes/25MB} ")
        #expect(report.variable("rssM") == "25" && report.variable("vsz") == "314572800" && report.variable("pss") == "-")
        #expect(report.variable("uri") == nil)
        report.unique = 3 << 20
        report.proportional = 4 << 20
        #expect(report.linePrefix.hasSuffix("{uss usage: 3145728 bytes/3MB} {pss usage: 4194304 bytes/4MB} "))
        #expect(report.variable("pssM") == "4")
    }
}
