import Testing
@testable import LiegeMaster

@Suite struct StatsTopTests {
    func document() -> JSONValue {
        JSONValue.parse(StatsDocument.render(StatsTestData.snapshot, minified: true)) ?? .null
    }

    @Test func jsonParserReadsWhatTheStatsServerWrites() throws {
        let text = StatsDocument.render(StatsTestData.snapshot, minified: false)
        let json = try #require(JSONValue.parse(text))
        #expect(json["cwd"].string == "/srv/\"app\"")
        #expect(JSONValue.parse("{\"a\": [1, 2.5, -3e2, true, null, \"x\\u00e9\\n\"]}")?["a"]
                == .array([.number(1), .number(2.5), .number(-300), .bool(true), .null, .string("xé\n")]))
        #expect(JSONValue.parse("{\"a\": 1") == nil)
        #expect(JSONValue.parse("[1,]") == nil)
        #expect(JSONValue.parse("{} x") == nil)
        #expect(JSONValue.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
    }

    @Test func sampleReadsLiegeAndUWSGIDocuments() throws {
        let liege = try #require(TopSample(document: document()))
        #expect(liege.workers.map(\.id) == ["1", "2"])
        #expect(liege.busy == 1)
        #expect(liege.mode == "reloading")
        #expect(liege.daemons.map(\.command) == ["celery worker"])
        let uwsgi = "{\"version\":\"2.0.28\",\"pid\":9,\"workers\":[{\"id\":1,\"pid\":10,\"requests\":7,\"status\":\"idle\",\"avg_rt\":2000}]}"
        let sample = try #require(TopSample(document: JSONValue.parse(uwsgi) ?? .null))
        #expect(sample.workers.first?.averageMicros == 2000)
        #expect(sample.mode == "")
        #expect(TopSample(document: .object([:])) == nil)
    }

    @Test func ratesPerWorkerSurviveACounterReset() throws {
        func sample(_ requests: [Int]) throws -> TopSample {
            let workers = requests.enumerated().map { "{\"id\":\($0.offset + 1),\"requests\":\($0.element)}" }.joined(separator: ",")
            return try #require(TopSample(document: JSONValue.parse("{\"workers\":[\(workers)]}") ?? .null))
        }
        let before = try sample([10, 50])
        let after = try sample([30, 4])   // worker 2 respawned under uWSGI: its count restarted
        #expect(after.rates(since: before, seconds: 2) == ["1": 10, "2": 2])
        #expect(after.rates(since: nil, seconds: 1).isEmpty)
    }

    @Test func screenShowsOneLinePerWorker() throws {
        let sample = try #require(TopSample(document: document()))
        let plain = TopScreen(address: "127.0.0.1:9191", width: 200, ansi: false).render(sample, rates: ["1": 4.4], clock: "12:00:00")
        let rows = plain.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["1", "101", "busy", "10", "4", "1", "1.5ms", "2.8M", "4.8K", "4", "2"]))
        #expect(rows.contains(["2", "0", "cheap", "4", "0", "1", "1.5ms", "2.8M", "4.8K", "4", "2"]))
        #expect(plain.contains("workers: 2 (busy 1, idle 0) - req: 14 - RPS: 4"))
        #expect(!plain.contains("\u{1B}"))
        let ansi = TopScreen(address: "x", width: 80, ansi: true).render(sample, rates: [:], clock: "12:00:00")
        #expect(ansi.hasPrefix("\u{1B}[H"))
        #expect(ansi.contains("\u{1B}[32m"))   // the busy worker in green
        let failed = TopScreen(address: "x", width: 80, ansi: false).render(nil, rates: [:], clock: "t", error: "refused")
        #expect(failed.contains("cannot read stats: refused"))
    }

    @Test func fetcherAddresses() {
        #expect(StatsFetcher("127.0.0.1:9191")?.target == .raw(.tcp(host: "127.0.0.1", port: 9191)))
        #expect(StatsFetcher("/run/stats.sock")?.target == .raw(.unix(path: "/run/stats.sock")))
        #expect(StatsFetcher("http://127.0.0.1:9191")?.target == .http(.tcp(host: "127.0.0.1", port: 9191), path: "/"))
        #expect(StatsFetcher("http://[::1]:80/stats")?.target == .http(.tcp6(host: "::1", port: 80), path: "/stats"))
        #expect(StatsFetcher("") == nil)
    }
}
