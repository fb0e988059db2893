import LiegeSystem

/// `lazy-apps = false` in the master's loop: one preloader per generation imports the app, and workers
/// are forked from it on request (`WorkerLauncher.fork`). They are the master's children (it is a
/// subreaper; the preloader double-forks), so reaping, harakiri, recycling, stats and scaling treat
/// them like spawned workers. A preloader that dies is replaced (with back-off) without touching the
/// running workers; while it restarts, empty slots get spawned workers. A preloader that refuses to fork
/// (the app started threads) makes its generation lazy.
extension Arbiter {
    /// Keeps a preloader for the current generation while running (also while cheap: it holds the app,
    /// so a wake-up costs a fork, not an import).
    func ensurePreloader(now: Int64) {
        guard phase == .running, current.settings.preload, preload.lazyFallback[current.number] == nil,
              preload.live(for: current) == nil, now >= preload.restartNotBefore else { return }
        startPreloader(for: current)
    }

    /// Starts `generation`'s preloader; its pid, or nil (logged; the generation is then served lazily
    /// for now, or for good when this master cannot adopt forked workers).
    @discardableResult
    func startPreloader(for generation: Generation) -> Int32? {
        let now = monotonicMicroseconds()
        if !preload.isSubreaper {
            do {
                try Forking.becomeSubreaper()
                preload.isSubreaper = true
            } catch {
                preload.lazyFallback[generation.number] = "cannot adopt forked workers (\(error))"
                log.error("preloading off: cannot adopt forked workers (\(error)); workers load the app themselves")
                return nil
            }
        }
        do {
            let (pid, channel) = try launcher.launchPreloader(generation: generation)
            let link = try PreloaderLink(channel: channel, queue: queue) { [unowned self] in
                preloaderSpoke(pid)
                tick()
            }
            preload.preloaders.append(PreloaderRecord(generation: generation, pid: pid, link: link, startedAt: now))
            log.info("started the preloader (pid \(pid)): it imports the app once, workers are forked from it")
            return pid
        } catch {
            preload.quickDeaths += 1
            let delay = max(1, backoff.delaySeconds(afterQuickDeaths: preload.quickDeaths))
            preload.restartNotBefore = now + Int64(delay) * 1_000_000
            log.error("cannot start the preloader: \(error); workers load the app themselves, another try in \(delay)s")
            return nil
        }
    }

    /// What the preloader `pid` said: `ready`, or `refused N` (then its generation goes lazy). Either ends
    /// a reload's import check well: the app was imported.
    private func preloaderSpoke(_ pid: Int32) {
        guard let index = preload.preloaders.firstIndex(where: { $0.pid == pid }) else { return }
        let (messages, closed) = preload.preloaders[index].link.pending()
        for message in messages {
            switch message {
            case .ready:
                if preload.preloaders[index].status == .starting { preload.preloaders[index].status = .ready }   // it logs it
                if planner.isImportCheck(pid) { follow(.preloaderImported(pid: pid)) }
            case .refused(let threads):
                let generation = preload.preloaders[index].generation
                preload.lazyFallback[generation.number] = "the app started threads at import (\(threads) threads)"
                log.error("preloading refused: the app started threads while it was imported (\(threads) threads in the "
                          + "preloader, pid \(pid)); workers of generation \(generation.number) load the app themselves")
                if planner.isImportCheck(pid) { follow(.preloaderImported(pid: pid)) }
            case .forked(let stray):
                // The answer to a request given up on: a worker nobody supervises must not serve.
                log.error("preloader (pid \(pid)) forked pid \(stray) too late: killed")
                _ = try? Processes.killGroup(stray, .kill)
            case .fork, .forkFailed:
                break
            }
        }
        if closed { preload.preloaders[index].link.close() }
    }

    /// Worker `id` forked from preloader `index`; nil when it did not fork (logged; the caller spawns).
    func forkWorker(id: Int, in generation: Generation, held: Bool, preloader index: Int) -> (pid: Int32, lifeline: Int32)? {
        let record = preload.preloaders[index]
        let outcome: WorkerLauncher.ForkOutcome
        do {
            outcome = try launcher.fork(id: id, generation: generation, held: held, channel: record.link.channel)
        } catch {
            log.error("cannot ask the preloader (pid \(record.pid)) for worker \(id): \(error)")
            return nil
        }
        switch outcome {
        case .forked(let pid, let lifeline):
            return (pid, lifeline)
        case .declined(.refused(let threads)):
            preload.lazyFallback[generation.number] = "the preloader has \(threads) threads"
            log.error("preloading refused: the preloader (pid \(record.pid)) has \(threads) threads now; "
                      + "workers load the app themselves")
        case .declined(let other):
            log.error("the preloader (pid \(record.pid)) did not fork worker \(id): \(other.text)")
        case .noAnswer:
            log.error("the preloader (pid \(record.pid)) did not answer within 2s: SIGKILL; a new one starts")
            _ = try? Processes.killGroup(record.pid, .kill)
        case .gone:
            break   // reaped soon
        }
        return nil
    }

    /// Preloader `pid` was reaped (what it said last is read first: a `refused` before its exit).
    func preloaderExited(_ pid: Int32, status: ExitStatus) {
        preloaderSpoke(pid)
        guard let index = preload.preloaders.firstIndex(where: { $0.pid == pid }) else { return }
        let record = preload.preloaders.remove(at: index)
        record.link.close()
        let generation = record.generation
        let now = monotonicMicroseconds()
        log.info("preloader (pid \(record.pid)) \(status)" + (record.isStopping || workers.isEmpty ? "" : "; running workers keep serving"))
        guard !record.isStopping, phase == .running else { return }
        if planner.isImportCheck(pid) {
            follow(.exited(pid: pid, status: "\(status)"))
            return
        }
        guard generation === current, preload.lazyFallback[generation.number] == nil else { return }
        if record.status == .starting, status == .exited(Self.appNotLoadableExitStatus) {
            if generation.settings.needApp, !everReady {
                log.error("app could not be loaded; exiting")
                shutDown(graceful: false, exitCode: 1)
                return
            }
            if !generation.settings.needApp {
                preload.lazyFallback[generation.number] = "the preloader could not import the app"
                log.info("need-app = false: workers load the app themselves and retry its import")
                return
            }
        }
        preload.quickDeaths = backoff.quickDeaths(after: preload.quickDeaths, livedMicros: now - record.startedAt,
                                                  minimumLifetimeSeconds: generation.settings.minWorkerLifetime)
        let delay = backoff.delaySeconds(afterQuickDeaths: preload.quickDeaths)
        preload.restartNotBefore = now + Int64(delay) * 1_000_000
        log.info(delay == 0 ? "a new preloader starts" : "preloader keeps dying: a new one starts in \(delay)s; "
                 + "empty slots get workers that load the app themselves meanwhile")
    }

    /// Preloaders of generations no longer current nor staged (a reload committed or aborted, a stop)
    /// are asked to leave: their channel closes, SIGKILL after `PreloadBook.stopMercySeconds`. Past
    /// that deadline they are killed.
    func retirePreloaders(now: Int64) {
        let staged = planner.stagedGeneration
        for index in preload.preloaders.indices {
            let pid = preload.preloaders[index].pid
            if let killAt = preload.preloaders[index].killAt {
                if now >= killAt { _ = try? Processes.killGroup(pid, .kill) }
                continue
            }
            let generation = preload.preloaders[index].generation
            guard phase != .running || (generation !== current && generation.number != staged) else { continue }
            preload.preloaders[index].link.close()
            preload.preloaders[index].status = .stopping(killAt: now + PreloadBook.stopMercySeconds * 1_000_000)
        }
    }

    /// SIGKILL to every preloader now (immediate shutdown, the end of the master).
    func killPreloaders() {
        for record in preload.preloaders {
            record.link.close()
            _ = try? Processes.killGroup(record.pid, .kill)
        }
    }

    /// When the arbiter must look again for preloaders: a restart after back-off, a stop's SIGKILL.
    var preloadDeadlines: [Int64] {
        var deadlines = preload.preloaders.compactMap(\.killAt)
        if phase == .running, current.settings.preload, preload.live(for: current) == nil,
           preload.restartNotBefore > monotonicMicroseconds() {
            deadlines.append(preload.restartNotBefore)
        }
        return deadlines
    }
}
