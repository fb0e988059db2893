import LiegeConfig
import LiegeSystem

/// Reload, kill then respawn (SPEC.md §5.1): config re-read and validated, one new worker imports the
/// app without accepting; only then do the old workers stop accepting, finish and leave, each slot
/// getting its new worker as soon as its old one is gone. Sockets stay open throughout.
extension Arbiter {
    /// A reload asked for while one runs is coalesced into one more (the strongest kind asked).
    func requestReload(_ kind: ReloadKind) {
        guard phase == .running else { return }
        if reload != nil {
            if pendingReload == nil || kind.rereadsConfig { pendingReload = kind }
            log.info("reload requested during a reload: one more \(kind) follows it")
            return
        }
        startReload(kind)
    }

    private func startReload(_ kind: ReloadKind) {
        let started = monotonicMicroseconds()
        var config = current.config
        // With preloading, workers and chain reloads fork again from the current preloader: no import, and so
        // no config re-read either (its workers get the config it imported the app with).
        let reusesPreloader = current.settings.preload && kind != .graceful && kind != .brutal(rereadConfig: true)
        if kind == .chain, reusesPreloader {
            log.info("chain reload with lazy-apps = false: the workers are forked again from the current preloader, "
                     + "the config is not re-read (a graceful reload imports new code)")
        }
        if kind.rereadsConfig, !reusesPreloader {
            do {
                config = try Config.load(arguments: current.config.arguments, environment: facts.environment,
                                         workingDirectory: facts.workingDirectory)
            } catch {
                log.error("reload aborted: the config is invalid, nothing changes:\n\(error.description)")
                return
            }
        }
        let settings = MasterSettings(config)
        if settings.name != current.settings.name { log.info("reload: the name stays \(current.settings.name)") }
        let generation: Generation
        do {
            let sockets = try resources.sockets.sockets(for: settings, log: log)
            generationCount += 1
            generation = try Generation(number: generationCount, config: config, settings: settings, sockets: sockets,
                                        baseEnvironment: facts.environment)
        } catch let failure as SocketTable.Failure {
            log.error("reload aborted: \(failure.message); nothing changes")
            return
        } catch {
            log.error("reload aborted: \(error); nothing changes")
            return
        }
        generations.append(generation)
        EmperorLink.follow(generation.scoreboard)
        pump.update(Self.logPolicy(settings))
        reopenLog(reason: "reload", logFile: settings.logFile)
        log.info("reload (\(kind), generation \(generation.number)): "
                 + (kind.rereadsConfig && !reusesPreloader ? "config re-read in \((monotonicMicroseconds() - started) / 1000) ms"
                    : "config unchanged"))
        if reusesPreloader, handOverPreloader(to: generation) {
            commit(generation, kind: kind)
            return
        }
        if case .brutal = kind {
            commit(generation, kind: kind)
            return
        }
        // lazy-apps = false: the new generation's preloader importing the app is the import check.
        if generation.settings.preload, !reusesPreloader, let pid = startPreloader(for: generation) {
            reload = .staging(kind: kind, generation: generation, pid: pid, since: monotonicMicroseconds())
            return
        }
        // The import check's worker takes a slot whose old worker is idle now: that one leaves first, so
        // the loaded worker accepts at once instead of waiting behind a long request.
        let busy = Set(workers.filter { $0.slot.requestStartMicros > 0 }.map(\.id))
        let stagedID = (1...generation.settings.processes).first { !busy.contains($0) } ?? 1
        guard let pid = spawn(id: stagedID, in: generation, held: true) else {
            log.error("reload aborted: cannot start a new worker; nothing changes")
            return
        }
        reload = .staging(kind: kind, generation: generation, pid: pid, since: monotonicMicroseconds())
    }

    /// The new worker loaded the app (or, for a brutal reload, nothing is checked): from now on the new
    /// generation is the one slots are filled from.
    private func commit(_ generation: Generation, kind: ReloadKind) {
        let previous = current.settings
        current = generation
        history = [:]
        scaling.update(generation.settings.scaling)
        if kind.rereadsConfig {
            reloadAttached(generation)
            applyControls(from: previous, to: generation.settings)
        }
        switch kind {
        case .brutal:
            for index in workers.indices where workers[index].generation !== current {
                workers[index].stop = StopProgress(plan: .immediate)
                workers[index].stopReason = "reload"
            }
            reload = .draining(kind: kind)
        case .chain:
            let staged = workers.first { $0.generation === generation }?.id ?? 1
            reload = .chaining(remaining: [staged] + (1...settings.processes).filter { $0 != staged }, inProgress: nil)
        case .graceful, .workers:
            stopOldWorkers()
            reload = .draining(kind: kind)
        }
    }

    private func stopOldWorkers() {
        for index in workers.indices where workers[index].generation !== current && workers[index].stop == nil {
            workers[index].stop = StopProgress(plan: .graceful(mercySeconds: settings.workerReloadMercy))
            workers[index].stopReason = "reload"
        }
    }

    /// Drops a reload in progress: the staged worker (if any) stops, the old workers keep serving.
    func abortReload(reason: String?) {
        guard let state = reload else { return }
        if case .staging(_, let generation, let pid, _) = state {
            if let index = workers.firstIndex(where: { $0.pid == pid }), workers[index].stop == nil {
                workers[index].stop = StopProgress(plan: .graceful(mercySeconds: 1))
                workers[index].stopReason = "reload aborted"
            }
            if generation !== current { pump.update(Self.logPolicy(current.settings)) }
        }
        reload = nil
        if let reason { log.error("reload aborted: \(reason)") }
        if phase == .running, let next = pendingReload {
            pendingReload = nil
            startReload(next)
        }
    }

    /// Moves a reload on from what the scoreboard and the reaper say.
    func advanceReload() {
        guard let state = reload else { return }
        switch state {
        case .staging(let kind, let generation, let pid, let since):
            if advanceStagedPreloader(kind: kind, generation: generation, pid: pid, since: since) { return }
            guard let index = workers.firstIndex(where: { $0.pid == pid }) else { return }
            let status = workers[index].slot.status
            if status == .ready || status == .busy {
                log.info("reload: new worker \(workers[index].id) (pid \(pid)) loaded the app in "
                         + "\((monotonicMicroseconds() - since) / 1000) ms; replacing the old workers")
                commit(generation, kind: kind)
                advanceReload()
            } else if monotonicMicroseconds() - since > Int64(max(settings.workerReloadMercy, 1)) * 1_000_000 {
                workers[index].stop = StopProgress(plan: .immediate)
                abortReload(reason: "the new worker did not load the app within \(settings.workerReloadMercy)s")
            }
        case .chaining(var remaining, let inProgress):
            if let id = inProgress {
                guard chainStep(id) else { return }
            }
            guard !remaining.isEmpty else {
                stopOldWorkers()   // slots the new config no longer has
                reload = .draining(kind: .chain)
                advanceReload()
                return
            }
            let next = remaining.removeFirst()
            reload = .chaining(remaining: remaining, inProgress: next)
            _ = chainStep(next)
        case .draining(let kind):
            guard !workers.contains(where: { $0.generation !== current }) else { return }
            reload = nil
            log.info("reload done (\(kind)): every old worker is gone; generation \(current.number) serves")
            if let next = pendingReload {
                pendingReload = nil
                startReload(next)
            }
        }
    }

    /// One chain step for slot `id`; true once its new worker accepts and the old one is gone.
    private func chainStep(_ id: Int) -> Bool {
        let old = workers.indices.filter { workers[$0].id == id && workers[$0].generation !== current }
        guard let new = workers.firstIndex(where: { $0.id == id && $0.generation === current }) else {
            if old.isEmpty { return true }   // a slot not in use (or manage() refills it)
            spawn(id: id, in: current, held: true)
            return false
        }
        let status = workers[new].slot.status
        guard status == .ready || status == .busy else { return false }
        for index in old where workers[index].stop == nil {
            workers[index].stop = StopProgress(plan: .graceful(mercySeconds: settings.workerReloadMercy))
            workers[index].stopReason = "chain reload"
        }
        return old.isEmpty && !workers[new].held
    }

    /// A reload that keeps the config and the code: the current preloader (or the reason the current
    /// generation is served lazily) now belongs to `generation`. False when there is none to hand over.
    private func handOverPreloader(to generation: Generation) -> Bool {
        if let reason = preload.lazyFallback[current.number] { preload.lazyFallback[generation.number] = reason }
        guard let index = preload.live(for: current) else { return false }
        preload.preloaders[index].generation = generation
        log.info("reload: workers are forked again from the preloader (pid \(preload.preloaders[index].pid)), no import")
        return preload.lazyFallback[generation.number] == nil
    }

    /// A reload staged on a new preloader (its import is the check): commits once it is ready (or it refused
    /// to fork, the app imported fine), aborts when it takes longer than `worker-reload-mercy`. True when
    /// `pid` is such a preloader (or was one that refused and left).
    private func advanceStagedPreloader(kind: ReloadKind, generation: Generation, pid: Int32, since: Int64) -> Bool {
        let refused = preload.lazyFallback[generation.number] != nil
        guard let index = preload.preloaders.firstIndex(where: { $0.pid == pid }) else {
            guard refused, !workers.contains(where: { $0.pid == pid }) else { return false }
            commit(generation, kind: kind)
            advanceReload()
            return true
        }
        if preload.preloaders[index].status == .ready || refused {
            log.info("reload: the new preloader (pid \(pid)) imported the app in \((monotonicMicroseconds() - since) / 1000) ms; "
                     + "replacing the old workers")
            commit(generation, kind: kind)
            advanceReload()
        } else if monotonicMicroseconds() - since > Int64(max(settings.workerReloadMercy, 1)) * 1_000_000 {
            _ = try? Processes.killGroup(pid, .kill)
            abortReload(reason: "the new preloader did not import the app within \(settings.workerReloadMercy)s")
        }
        return true
    }

    static func logPolicy(_ settings: MasterSettings) -> LogPump.Policy {
        LogPump.Policy(path: settings.logFile, dateFormat: settings.logDate, maxSize: settings.logMaxSize,
                       backupName: settings.logBackupName)
    }
}
