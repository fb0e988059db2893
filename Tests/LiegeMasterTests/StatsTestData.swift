@testable import LiegeMaster
import LiegeSystem

/// A snapshot with two workers (one busy, one empty slot), a daemon and a cron job.
enum StatsTestData {
    static func worker(id: Int, pid: Int32, status: WorkerStatus, requests: Int) -> StatsSnapshot.Worker {
        StatsSnapshot.Worker(
            id: id, pid: pid, status: status, requests: requests, processRequests: requests / 2, exceptions: 1,
            harakiriCount: 2, rssBytes: 3_000_000, vszBytes: 9_000_000, lastSpawn: 1_700_000_000, respawns: 4,
            bytesSent: 5000, durationSumMicros: Int64(requests) * 1500, responsesByClass: [0, requests - 2, 0, 1, 1],
            durationBuckets: [requests - 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    static let snapshot = StatsSnapshot(
        version: "0.1.0", pid: 100, uid: 1000, gid: 1000, cwd: "/srv/\"app\"", mode: .reloading,
        sockets: [StatsSnapshot.Socket(name: "127.0.0.1:8000", proto: "http", queue: 3, maxQueue: 1024)],
        workers: [worker(id: 1, pid: 101, status: .busy, requests: 10), worker(id: 2, pid: 0, status: .empty, requests: 4)],
        daemons: [MasterState.Daemon(command: "celery worker", pid: 200, respawns: 1)],
        crons: [MasterState.Cron(minute: 5, hour: -1, day: -1, month: -1, week: -1, command: "backup", unique: true, pid: 0)],
        totals: totals([worker(id: 1, pid: 101, status: .busy, requests: 10), worker(id: 2, pid: 0, status: .empty, requests: 4)]))

    static func totals(_ workers: [StatsSnapshot.Worker]) -> ResponseCounters {
        var totals = ResponseCounters()
        for worker in workers {
            var counters = ResponseCounters()
            counters.byStatusClass = worker.responsesByClass
            counters.durationBuckets = worker.durationBuckets
            counters.durationSumMicros = worker.durationSumMicros
            counters.bytesSent = worker.bytesSent
            totals = totals + counters
        }
        return totals
    }
}
