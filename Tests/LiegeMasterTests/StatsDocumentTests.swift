import Testing
@testable import LiegeMaster
import LiegeSystem

@Suite struct StatsDocumentTests {
    let document = StatsDocument.render(StatsTestData.snapshot, minified: false)

    func parsed(_ text: String) throws -> JSONValue {
        try #require(JSONValue.parse(text))
    }

    @Test func hasUWSGIKeysPlusMode() throws {
        let json = try parsed(document)
        for key in ["version", "listen_queue", "listen_queue_errors", "signal_queue", "load", "pid", "uid", "gid", "cwd",
                    "mode", "locks", "sockets", "workers", "daemons", "crons"] {
            #expect(!json[key].isNull, "missing \(key)")
        }
        #expect(json["mode"].string == "reloading")
        #expect(json["listen_queue"].int == 3)
        #expect(json["cwd"].string == "/srv/\"app\"")
        #expect(json["sockets"].array.first?["max_queue"].int == 1024)
        #expect(json["sockets"].array.first?["proto"].string == "http")
    }

    @Test func workersShowStatusAndCounters() throws {
        let workers = try parsed(document)["workers"].array
        #expect(workers.count == 2)
        #expect(workers[0]["status"].string == "busy")
        #expect(workers[0]["accepting"].int == 1)
        #expect(workers[0]["requests"].int == 10)
        #expect(workers[0]["delta_requests"].int == 5)
        #expect(workers[0]["avg_rt"].int == 1500)
        #expect(workers[0]["running_time"].int == 15000)
        #expect(workers[0]["harakiri_count"].int == 2)
        #expect(workers[0]["respawn_count"].int == 4)
        #expect(workers[0]["cores"].array.first?["in_request"].int == 1)
        #expect(workers[1]["status"].string == "cheap")   // an empty slot
        #expect(workers[1]["pid"].int == 0)
        #expect(workers[1]["accepting"].int == 0)
    }

    @Test func daemonsAndCronsOnlyWhenConfigured() throws {
        var snapshot = StatsTestData.snapshot
        let json = try parsed(document)
        #expect(json["daemons"].array.first?["cmd"].string == "celery worker")
        #expect(json["crons"].array.first?["minute"].int == 5)
        #expect(json["crons"].array.first?["unique"].int == 1)
        snapshot.daemons = nil
        snapshot.crons = nil
        let bare = try parsed(StatsDocument.render(snapshot, minified: true))
        #expect(bare["daemons"].isNull)
        #expect(bare["crons"].isNull)
    }

    @Test func minifiedHasNoWhitespaceOutsideStrings() throws {
        let minified = StatsDocument.render(StatsTestData.snapshot, minified: true)
        #expect(try parsed(minified) == parsed(document))
        #expect(!minified.dropLast().contains("\n"))
        #expect(!minified.contains(": "))
        #expect(document.hasPrefix("{\n  \"version\": \"0.1.0\",\n"))
    }

    @Test func statusMapping() {
        let cases: [(WorkerStatus, String, Bool)] = [
            (.empty, "cheap", false), (.starting, "idle", false), (.ready, "idle", true), (.busy, "busy", true),
            (.stopping, "idle", false),
        ]
        for (status, text, accepting) in cases {
            let worker = StatsTestData.worker(id: 1, pid: 5, status: status, requests: 3)
            #expect(worker.statsStatus == text)
            #expect(worker.accepting == accepting)
        }
        var paused = StatsTestData.worker(id: 1, pid: 0, status: .empty, requests: 0)
        paused.paused = true
        #expect(paused.statsStatus == "pause")
    }

    @Test func snapshotReadsTheScoreboard() throws {
        let board = try Scoreboard.create(slots: 2)
        board[1].pid = Posix.processID
        board[1].status = .busy
        board[1].spawnedMicros = monotonicMicroseconds() - 5_000_000
        board[1].respawns = 2
        board[1].recordResponse(status: 200, durationMicros: 3000, bytesSent: 100)
        board[1].recordResponse(status: 503, durationMicros: 1000, bytesSent: 50)
        var ledger = StatsLedger()
        let retired = try Scoreboard.create(slots: 2)   // a generation a reload replaced
        retired[1].recordResponse(status: 404, durationMicros: 2000, bytesSent: 150)
        ledger.retire(retired)
        let state = MasterState(
            mode: .normal,
            workers: [MasterState.Worker(id: 1, pid: Posix.processID, slot: board[1], harakiriCount: 1), MasterState.Worker(id: 2, pid: 0)],
            counters: ledger.counters(adding: [board]), sockets: [])
        let snapshot = StatsSnapshot.take(state: state, version: "v", cwd: "/")
        let first = snapshot.workers[0]
        #expect(first.status == .busy)
        #expect(first.requests == 3)
        #expect(first.averageResponseMicros == 2000)
        #expect(first.bytesSent == 300)
        #expect(first.responsesByClass == [0, 1, 0, 1, 1])
        #expect(first.harakiriCount == 1)
        #expect(first.rssBytes > 0)   // this test process, from /proc
        #expect(abs(first.lastSpawn - (wallClockSeconds() - 5)) <= 1)
        #expect(snapshot.workers[1].status == .empty)
        #expect(snapshot.totals.responses == 3)
        #expect(snapshot.totals.byStatusClass == [0, 1, 0, 1, 1])
        #expect(snapshot.busyWorkers == 1)
    }
}
