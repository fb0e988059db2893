import LiegeSystem
import Testing
@testable import LiegeMaster

/// Reloads as pure decisions (SPEC.md §5.1): events in, actions out, no process and no clock.
@Suite struct ReloadPlannerTests {
    /// A worker as the planner sees it; generation 0 is the one serving before the reload.
    static func worker(_ id: Int, pid: Int32, generation: Int = 0, ready: Bool = true, busy: Bool = false,
                       held: Bool = false, stopping: Bool = false) -> WorkerView {
        WorkerView(id: id, pid: pid, generation: generation, ready: ready, busy: busy, held: held, stopping: stopping)
    }

    static func new(_ kind: ReloadKind = .graceful, check: ImportCheck = .worker, processes: Int = 2) -> NewGeneration {
        NewGeneration(number: 1, kind: kind, processes: processes, mercySeconds: 60, check: check)
    }

    static let second: Int64 = 1_000_000
    let old = [worker(1, pid: 101, busy: true), worker(2, pid: 102)]

    func graceful(_ pid: Int32, _ reason: StopReason = .reload) -> ReloadAction {
        .stop(pid: pid, plan: .graceful(mercySeconds: 60), reason: reason)
    }

    /// A planner whose graceful reload staged held worker 201 in slot 2 at time 0.
    func staged(_ planner: inout ReloadPlanner, kind: ReloadKind = .graceful) {
        _ = planner.handle(.requested(kind), workers: old, now: 0)
        _ = planner.handle(.prepared(Self.new(kind)), workers: old, now: 0)
        _ = planner.handle(.staged(pid: 201), workers: old + [Self.worker(2, pid: 201, generation: 1, ready: false, held: true)], now: 0)
    }

    @Test func gracefulReloadChecksTheImportThenReplacesEveryOldWorker() {
        var planner = ReloadPlanner()
        #expect(planner.handle(.requested(.graceful), workers: old, now: 0) == [.prepare(.graceful)])
        // The import check takes the slot of an idle old worker (slot 1 is busy).
        #expect(planner.handle(.prepared(Self.new()), workers: old, now: 0) == [.stageWorker(slot: 2, generation: 1)])
        let loading = Self.worker(2, pid: 201, generation: 1, ready: false, held: true)
        #expect(planner.handle(.staged(pid: 201), workers: old + [loading], now: 0) == [])
        #expect(planner.isImportCheck(201) && planner.stagedGeneration == 1)
        #expect(planner.handle(.look, workers: old + [loading], now: 5 * Self.second) == [])   // nothing changed yet
        let loaded = Self.worker(2, pid: 201, generation: 1, held: true)
        let commit = planner.handle(.look, workers: old + [loaded], now: Self.second / 2)
        #expect(commit == [
            .note("reload: new worker 2 (pid 201) loaded the app in 500 ms; replacing the old workers"),
            .commit(generation: 1, kind: .graceful), graceful(101), graceful(102),
        ])
        let draining = [Self.worker(1, pid: 101, busy: true, stopping: true), loaded]
        #expect(planner.handle(.look, workers: draining, now: Self.second) == [])   // a busy old worker finishes
        #expect(planner.isReloading)
        let done = planner.handle(.look, workers: [loaded, Self.worker(1, pid: 202, generation: 1)], now: 2 * Self.second)
        #expect(done == [.note("reload done (graceful reload): every old worker is gone; generation 1 serves")])
        #expect(!planner.isReloading)
    }

    @Test func aFailedImportAbortsAndTouchesNoOldWorker() {
        var planner = ReloadPlanner()
        staged(&planner)
        let actions = planner.handle(.exited(pid: 201, status: "exited with status 22"), workers: old, now: Self.second)
        #expect(actions == [
            .stop(pid: 201, plan: .graceful(mercySeconds: 1), reason: .reloadAborted),
            .abort(generation: 1, reason: "the new worker could not load the app (exited with status 22); the old workers keep serving"),
        ])
        #expect(!planner.isReloading)
        #expect(planner.handle(.look, workers: old, now: 2 * Self.second) == [])
    }

    @Test func anImportThatTakesLongerThanTheMercyIsKilledAndAborted() {
        var planner = ReloadPlanner()
        staged(&planner)
        let loading = Self.worker(2, pid: 201, generation: 1, ready: false, held: true)
        #expect(planner.handle(.look, workers: old + [loading], now: 60 * Self.second) == [])
        #expect(planner.handle(.look, workers: old + [loading], now: 61 * Self.second) == [
            .stop(pid: 201, plan: .immediate, reason: .reloadAborted),
            .abort(generation: 1, reason: "the new worker did not load the app within 60s"),
        ])
    }

    @Test func anInvalidConfigOrAWorkerThatCannotStartChangesNothing() {
        var planner = ReloadPlanner()
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        #expect(planner.handle(.prepareFailed, workers: old, now: 0) == [])
        #expect(!planner.isReloading)
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        _ = planner.handle(.prepared(Self.new()), workers: old, now: 0)
        #expect(planner.handle(.staged(pid: nil), workers: old, now: 0)
                == [.abort(generation: 1, reason: "cannot start a new worker; nothing changes")])
        #expect(!planner.isReloading)
    }

    @Test func reloadsAskedDuringAReloadBecomeOneMoreOfTheStrongestKind() {
        var planner = ReloadPlanner()
        staged(&planner)
        #expect(planner.handle(.requested(.workers), workers: old, now: 0)
                == [.note("reload requested during a reload: one more workers reload follows it")])
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        _ = planner.handle(.requested(.workers), workers: old, now: 0)   // does not undo the config re-read
        #expect(planner.pending == .graceful)
        let loaded = Self.worker(2, pid: 201, generation: 1, held: true)
        _ = planner.handle(.look, workers: old + [loaded], now: 0)
        let done = planner.handle(.look, workers: [loaded], now: Self.second)
        #expect(done.last == .prepare(.graceful))
        #expect(planner.pending == nil && planner.isReloading)
    }

    @Test func anAbortedReloadStillRunsTheOneAskedMeanwhile() {
        var planner = ReloadPlanner()
        staged(&planner)
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        let actions = planner.handle(.exited(pid: 201, status: "exited with status 22"), workers: old, now: 0)
        #expect(actions.last == .prepare(.graceful))
    }

    @Test func withPreloadingTheNewPreloadersImportIsTheCheck() {
        var planner = ReloadPlanner()
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        #expect(planner.handle(.prepared(Self.new(check: .preloader(pid: 300))), workers: old, now: 0) == [])
        #expect(planner.isImportCheck(300))
        #expect(planner.handle(.preloaderImported(pid: 999), workers: old, now: 0) == [])   // not that one
        let actions = planner.handle(.preloaderImported(pid: 300), workers: old, now: Self.second / 4)
        #expect(actions == [
            .note("reload: the new preloader (pid 300) imported the app in 250 ms; replacing the old workers"),
            .commit(generation: 1, kind: .graceful), graceful(101), graceful(102),
        ])
        // The slots refill by forks (the count policy's job); the reload is done when the old workers are gone.
        let forked = [Self.worker(1, pid: 301, generation: 1), Self.worker(2, pid: 302, generation: 1)]
        #expect(planner.handle(.look, workers: forked, now: Self.second).count == 1)
        #expect(!planner.isReloading)
    }

    @Test func aPreloaderThatCannotImportAbortsTheReload() {
        var planner = ReloadPlanner()
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        _ = planner.handle(.prepared(Self.new(check: .preloader(pid: 300))), workers: old, now: 0)
        #expect(planner.handle(.exited(pid: 300, status: "exited with status 22"), workers: old, now: 0) == [
            .abort(generation: 1, reason: "the new preloader could not import the app (exited with status 22); "
                   + "the old workers keep serving"),
        ])
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        _ = planner.handle(.prepared(Self.new(check: .preloader(pid: 301))), workers: old, now: 0)
        #expect(planner.handle(.look, workers: old, now: 61 * Self.second) == [
            .killPreloader(pid: 301), .abort(generation: 1, reason: "the new preloader did not import the app within 60s"),
        ])
    }

    @Test func aWorkersReloadForkingFromTheCurrentPreloaderCommitsAtOnce() {
        var planner = ReloadPlanner()
        _ = planner.handle(.requested(.workers), workers: old, now: 0)
        #expect(planner.handle(.prepared(Self.new(.workers, check: .none)), workers: old, now: 0)
                == [.commit(generation: 1, kind: .workers), graceful(101), graceful(102)])
    }

    @Test func aBrutalReloadKillsEveryOldWorkerEvenOneAlreadyStopping() {
        var planner = ReloadPlanner()
        let workers = [Self.worker(1, pid: 101, stopping: true), Self.worker(2, pid: 102)]
        _ = planner.handle(.requested(.brutal(rereadConfig: true)), workers: workers, now: 0)
        #expect(planner.handle(.prepared(Self.new(.brutal(rereadConfig: true), check: .none)), workers: workers, now: 0) == [
            .commit(generation: 1, kind: .brutal(rereadConfig: true)),
            .stop(pid: 101, plan: .immediate, reason: .reload), .stop(pid: 102, plan: .immediate, reason: .reload),
        ])
    }

    @Test func harakiriDuringAReloadNeitherAbortsNorStallsIt() {
        var planner = ReloadPlanner()
        staged(&planner)
        // While the import runs, the master kills busy old worker 101 (harakiri); its slot is refilled from
        // the old generation, since nothing is committed yet.
        #expect(planner.handle(.exited(pid: 101, status: "killed by signal 9 (SIGKILL)"), workers: [old[1]], now: 0) == [])
        #expect(planner.isImportCheck(201))
        let refilled = Self.worker(1, pid: 103)
        let loaded = Self.worker(2, pid: 201, generation: 1, held: true)
        let commit = planner.handle(.look, workers: [old[1], refilled, loaded], now: Self.second)
        #expect(commit.contains(graceful(102)) && commit.contains(graceful(103)))
        // While draining, a stuck old worker is killed by harakiri: the reload is done once it is gone.
        let stuck = Self.worker(1, pid: 103, busy: true, stopping: true)
        #expect(planner.handle(.look, workers: [stuck, loaded], now: 2 * Self.second) == [])
        #expect(planner.handle(.exited(pid: 103, status: "killed by signal 9 (SIGKILL)"), workers: [loaded], now: 3 * Self.second) == [])
        #expect(planner.handle(.look, workers: [loaded], now: 3 * Self.second).count == 1)
        #expect(!planner.isReloading)
    }

    @Test func aChainReloadReplacesOneSlotAtATime() {
        var planner = ReloadPlanner()
        let old = [Self.worker(1, pid: 101), Self.worker(2, pid: 102)]
        _ = planner.handle(.requested(.chain), workers: old, now: 0)
        #expect(planner.handle(.prepared(Self.new(.chain)), workers: old, now: 0) == [.stageWorker(slot: 1, generation: 1)])
        _ = planner.handle(.staged(pid: 201), workers: old, now: 0)
        let new1 = Self.worker(1, pid: 201, generation: 1, held: true)
        // Loaded: commit, and slot 1's old worker (only it) is asked to leave.
        #expect(planner.handle(.look, workers: old + [new1], now: 0).suffix(2)
                == [.commit(generation: 1, kind: .chain), graceful(101, .chainReload)])
        let leaving = Self.worker(1, pid: 101, stopping: true)
        #expect(planner.handle(.look, workers: [leaving, old[1], new1], now: 0) == [])
        #expect(planner.handle(.look, workers: [old[1], new1], now: 0) == [])   // gone, but the new one is still held
        let accepting1 = Self.worker(1, pid: 201, generation: 1)
        #expect(planner.handle(.look, workers: [old[1], accepting1], now: 0) == [.startHeld(slot: 2, generation: 1)])
        let new2 = Self.worker(2, pid: 202, generation: 1, held: true)
        #expect(planner.handle(.look, workers: [old[1], accepting1, new2], now: 0) == [graceful(102, .chainReload)])
        let done = planner.handle(.look, workers: [accepting1, Self.worker(2, pid: 202, generation: 1)], now: 0)
        #expect(done == [.note("reload done (chain reload): every old worker is gone; generation 1 serves")])
    }

    @Test func aShutdownDropsTheReloadAndThePendingOne() {
        var planner = ReloadPlanner()
        staged(&planner)
        _ = planner.handle(.requested(.graceful), workers: old, now: 0)
        #expect(planner.handle(.shutdown, workers: old, now: 0) == [
            .stop(pid: 201, plan: .graceful(mercySeconds: 1), reason: .reloadAborted), .abort(generation: 1, reason: nil),
        ])
        #expect(!planner.isReloading && planner.pending == nil)
        #expect(planner.handle(.shutdown, workers: old, now: 0) == [])
    }
}
