import LiegeSystem

/// Reload decisions as pure code (SPEC.md §5.1), like `WorkerCountPolicy` for the worker count: events in
/// (a reload asked for, the new generation built, a worker ready or gone, a preloader's import done, a look
/// at the clock), actions out (prepare, stage, commit, stop, abort). It holds no process and no clock; the
/// arbiter feeds it `WorkerView`s and carries out its `ReloadAction`s, feeding the answers back.
///
/// A reload goes: preparing (config re-read, generation built) -> staging (one held worker, or a new
/// preloader, imports the app; nothing else changed) -> commit -> draining (old workers stop, slots refill
/// from the new generation) or chaining (one slot at a time) -> idle. A failure before the commit changes
/// nothing. A reload asked for meanwhile is coalesced into one more (the strongest kind asked).
struct ReloadPlanner: Sendable, Equatable {
    enum Phase: Equatable, Sendable {
        case idle
        /// `.prepare` is out.
        case preparing(ReloadKind)
        /// The import check runs; `check` is its process once known.
        case staging(NewGeneration, check: Int32?, since: Int64)
        /// Old workers finish and leave; each slot is refilled as soon as it is free.
        case draining(NewGeneration)
        /// Chain: slots still to replace, and the one in progress.
        case chaining(NewGeneration, remaining: [Int], inProgress: Int?)
    }

    private(set) var phase = Phase.idle
    /// One more reload to run after this one.
    private(set) var pending: ReloadKind?

    var isReloading: Bool { phase != .idle }

    /// The generation being checked (not committed yet), if any. (Not inlined: inlined into the arbiter's
    /// loops, Swift 6.3's release build hit an ownership-verifier crash on this switch.)
    var stagedGeneration: Int? {
        @inline(never) get { staged() }
    }

    private func staged() -> Int? {
        if case .staging(let new, _, _) = phase { return new.number }
        return nil
    }

    /// Whether `pid` is the import check in progress.
    func isImportCheck(_ pid: Int32) -> Bool {
        if case .staging(_, let check, _) = phase { return check == pid }
        return false
    }

    mutating func handle(_ event: ReloadEvent, workers: [WorkerView], now: Int64) -> [ReloadAction] {
        switch event {
        case .requested(let kind):
            guard phase == .idle else {
                if pending == nil || kind.rereadsConfig { pending = kind }
                return [.note("reload requested during a reload: one more \(kind) follows it")]
            }
            phase = .preparing(kind)
            return [.prepare(kind)]
        case .prepareFailed:
            guard case .preparing = phase else { return [] }
            phase = .idle
            return []
        case .prepared(let new):
            guard case .preparing = phase else { return [] }
            return stage(new, workers: workers, now: now)
        case .staged(let pid):
            guard case .staging(let new, .none, let since) = phase, new.check == .worker else { return [] }
            guard let pid else { return abort("cannot start a new worker; nothing changes") }
            phase = .staging(new, check: pid, since: since)
            return look(workers, now: now)
        case .preloaderImported(let pid):
            guard case .staging(let new, .some(pid), let since) = phase, new.check == .preloader(pid: pid) else { return [] }
            return [.note("reload: the new preloader (pid \(pid)) imported the app in \((now - since) / 1000) ms; "
                          + "replacing the old workers")] + commit(new, workers: workers, now: now)
        case .exited(let pid, let status):
            guard case .staging(let new, .some(pid), _) = phase else { return [] }
            let what = new.check == .worker ? "the new worker could not load the app" : "the new preloader could not import the app"
            return abort("\(what) (\(status)); the old workers keep serving")
        case .look:
            return look(workers, now: now)
        case .shutdown:
            pending = nil
            guard phase != .idle else { return [] }
            return abort(nil)
        }
    }

    private mutating func stage(_ new: NewGeneration, workers: [WorkerView], now: Int64) -> [ReloadAction] {
        switch new.check {
        case .none:
            return commit(new, workers: workers, now: now)
        case .worker:
            // The import check's worker takes a slot whose old worker is idle now: that one leaves first, so
            // the loaded worker accepts at once instead of waiting behind a long request.
            let busy = Set(workers.filter(\.busy).map(\.id))
            let slot = (1...max(1, new.processes)).first { !busy.contains($0) } ?? 1
            phase = .staging(new, check: nil, since: now)
            return [.stageWorker(slot: slot, generation: new.number)]
        case .preloader(let pid):
            phase = .staging(new, check: pid, since: now)
            return []
        }
    }

    /// The new generation passed its check (or needs none): from now on slots are filled from it.
    private mutating func commit(_ new: NewGeneration, workers: [WorkerView], now: Int64) -> [ReloadAction] {
        var actions: [ReloadAction] = [.commit(generation: new.number, kind: new.kind)]
        let old = workers.filter { $0.generation != new.number }
        switch new.kind {
        case .brutal:
            actions += old.map { .stop(pid: $0.pid, plan: .immediate, reason: .reload) }
            phase = .draining(new)
        case .chain:
            let staged = workers.first { $0.generation == new.number }?.id ?? 1
            phase = .chaining(new, remaining: [staged] + (1...max(1, new.processes)).filter { $0 != staged }, inProgress: nil)
        case .graceful, .workers:
            actions += stopGracefully(old, new, reason: .reload)
            phase = .draining(new)
        }
        return actions + look(workers, now: now)
    }

    private mutating func look(_ workers: [WorkerView], now: Int64) -> [ReloadAction] {
        switch phase {
        case .idle, .preparing:
            return []
        case .staging(let new, let check, let since):
            guard let pid = check else { return [] }
            if new.check == .worker, let worker = workers.first(where: { $0.pid == pid }), worker.ready {
                return [.note("reload: new worker \(worker.id) (pid \(pid)) loaded the app in \((now - since) / 1000) ms; "
                              + "replacing the old workers")] + commit(new, workers: workers, now: now)
            }
            guard now - since > Int64(max(new.mercySeconds, 1)) * 1_000_000 else { return [] }
            let worker = new.check == .worker
            let kill: ReloadAction = worker ? .stop(pid: pid, plan: .immediate, reason: .reloadAborted) : .killPreloader(pid: pid)
            let what = worker ? "the new worker did not load the app" : "the new preloader did not import the app"
            return [kill] + abort("\(what) within \(new.mercySeconds)s", stopCheck: false)
        case .chaining(let new, var remaining, let inProgress):
            var actions: [ReloadAction] = []
            if let id = inProgress {
                let step = chainStep(id, new, workers)
                actions += step.actions
                guard step.done else { return actions }
            }
            guard !remaining.isEmpty else {
                actions += stopGracefully(workers.filter { $0.generation != new.number }, new, reason: .reload)   // slots no longer configured
                phase = .draining(new)
                return actions + look(workers, now: now)
            }
            let next = remaining.removeFirst()
            phase = .chaining(new, remaining: remaining, inProgress: next)
            return actions + chainStep(next, new, workers).actions
        case .draining(let new):
            guard !workers.contains(where: { $0.generation != new.number }) else { return [] }
            return [.note("reload done (\(new.kind)): every old worker is gone; generation \(new.number) serves")] + next()
        }
    }

    /// One chain step for slot `id`: its held new worker, once that one is ready its old one stops; done
    /// once the old one is gone and the new one accepts.
    private func chainStep(_ id: Int, _ new: NewGeneration, _ workers: [WorkerView]) -> (done: Bool, actions: [ReloadAction]) {
        let old = workers.filter { $0.id == id && $0.generation != new.number }
        guard let fresh = workers.first(where: { $0.id == id && $0.generation == new.number }) else {
            if old.isEmpty { return (true, []) }   // a slot not in use (or the count policy refills it)
            return (false, [.startHeld(slot: id, generation: new.number)])
        }
        guard fresh.ready else { return (false, []) }
        return (old.isEmpty && !fresh.held, stopGracefully(old, new, reason: .chainReload))
    }

    private func stopGracefully(_ workers: [WorkerView], _ new: NewGeneration, reason: StopReason) -> [ReloadAction] {
        workers.filter { !$0.stopping }.map { .stop(pid: $0.pid, plan: .graceful(mercySeconds: new.mercySeconds), reason: reason) }
    }

    /// Drops the reload in progress: the import check's worker stops (`stopCheck`); the old workers keep serving.
    private mutating func abort(_ reason: String?, stopCheck: Bool = true) -> [ReloadAction] {
        var actions: [ReloadAction] = []
        var generation: Int?
        if case .staging(let new, let check, _) = phase {
            generation = new.number
            if stopCheck, new.check == .worker, let pid = check {
                actions.append(.stop(pid: pid, plan: .graceful(mercySeconds: 1), reason: .reloadAborted))
            }
        }
        actions.append(.abort(generation: generation, reason: reason))
        return actions + next()
    }

    /// Back to idle, then the pending reload, if any.
    private mutating func next() -> [ReloadAction] {
        phase = .idle
        guard let kind = pending else { return [] }
        pending = nil
        phase = .preparing(kind)
        return [.prepare(kind)]
    }
}
