import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

/// The one place worker state changes, and how a preloading generation's workers are started.
@Suite struct WorkerTableTests {
    static func generation(_ number: Int, _ arguments: [String] = []) throws -> Generation {
        let config = try Config.load(arguments: ["--http-socket", "127.0.0.1:1", "--processes", "2"] + arguments,
                                     environment: [:], workingDirectory: "/tmp")
        return try Generation(number: number, config: config, settings: MasterSettings(config), sockets: [], baseEnvironment: [:])
    }

    static func record(_ id: Int, pid: Int32, _ generation: Generation, held: Bool = false) -> WorkerRecord {
        WorkerRecord(id: id, pid: pid, lifeline: -1, generation: generation, spawnedAt: 0, held: held)
    }

    @Test func aStopKeepsTheFirstPlanAndReasonUnlessAnImmediateOneOvertakesIt() throws {
        let zero = try Self.generation(0)
        defer { zero.close() }
        var table = WorkerTable()
        table.add(Self.record(1, pid: 101, zero))
        table.add(Self.record(2, pid: 102, zero))
        table.stop(pid: 101, plan: .graceful(mercySeconds: 60), reason: .reload)
        table.stop(pid: 101, plan: .graceful(mercySeconds: 1), reason: .pause)
        #expect(table.record(pid: 101)?.stop?.plan == .graceful(mercySeconds: 60))
        #expect(table.record(pid: 101)?.stopReason == .reload)
        table.stop(pid: 101, plan: .immediate, reason: .harakiri)
        #expect(table.record(pid: 101)?.stop?.plan == .immediate && table.record(pid: 101)?.stopReason == .harakiri)
        #expect(table.record(pid: 102)?.isStopping == false)
        // Escalation of everyone (reload-mercy over) keeps each worker's reason.
        table.stop(where: { _ in true }, plan: .immediate, reason: nil, replacing: true)
        #expect(table.record(pid: 102)?.stopReason == nil && table.record(pid: 102)?.stop?.plan == .immediate)
        #expect(table.remove(pid: 101)?.stopReason == .harakiri)
        #expect(table.count == 1 && table.remove(pid: 101) == nil)
    }

    @Test func stopPlansAdvanceToTheirSteps() throws {
        let zero = try Self.generation(0)
        defer { zero.close() }
        var table = WorkerTable()
        table.add(Self.record(1, pid: 101, zero))
        table.stop(pid: 101, plan: .graceful(mercySeconds: 2), reason: .reload)
        #expect(table.advanceStops(now: 0).map(\.step) == [.requestStop])
        #expect(table.stopDeadlines == [2_000_000])
        #expect(table.advanceStops(now: 1_000_000).isEmpty)
        #expect(table.advanceStops(now: 2_000_000).map(\.step) == [.killGroup])
    }

    @Test func theViewSaysWhatTheScoreboardSays() throws {
        let zero = try Self.generation(0)
        defer { zero.close() }
        var table = WorkerTable()
        table.add(Self.record(2, pid: 102, zero, held: true))
        zero.scoreboard[2].status = .starting
        #expect(table.views == [WorkerView(id: 2, pid: 102, generation: 0, ready: false, busy: false, held: true, stopping: false)])
        zero.scoreboard[2].status = .ready
        #expect(table.views.first?.ready == true)
    }

    @Test func preloadingGenerationsForkOnceTheirPreloaderIsReady() throws {
        let lazy = try Self.generation(0)
        let preloading = try Self.generation(1, ["--lazy-apps", "false"])
        defer { lazy.close(); preloading.close() }
        var book = PreloadBook()
        #expect(book.route(for: lazy) == .spawn)
        #expect(book.route(for: preloading) == .spawn)   // no preloader (restarting): spawn meanwhile
        let (one, other) = try MessageChannel.pair()
        defer { other.close() }
        book.preloaders.append(PreloaderRecord(generation: preloading, pid: 300, link: try PreloaderLink(
            channel: one, queue: .main, spoke: {}), startedAt: 0))
        #expect(book.route(for: preloading) == .wait)
        book.preloaders[0].status = .ready
        #expect(book.route(for: preloading) == .fork(preloader: 0))
        book.lazyFallback[1] = "the app started threads at import (2 threads)"
        #expect(book.route(for: preloading) == .spawn)
        book.preloaders[0].link.close()
    }
}
