import LiegeSystem

/// Reaping and the master's own checks on live workers (SPEC.md §4).
extension Arbiter {
    /// Exit status of a worker that aborted a request for harakiri (it already answered 504 and logged).
    static let harakiriExitStatus: Int32 = 23
    /// Exit status of a worker whose app cannot be imported.
    static let appNotLoadableExitStatus: Int32 = 22
    /// Seconds past `harakiri` the master waits for a worker to abort a request itself before SIGKILL.
    static let harakiriGraceSeconds: Int64 = 1

    func reap() {
        for (pid, status) in Processes.reap() {
            if let index = workers.firstIndex(where: { $0.pid == pid }) {
                workerExited(workers.remove(at: index), status: status)
            } else if let index = preload.preloaders.firstIndex(where: { $0.pid == pid }) {
                preloaderExited(preload.preloaders.remove(at: index), status: status)
            } else if daemons.reaped(pid, status) || cron.reaped(pid, status) {
                continue
            } else {
                log.info("child \(pid) \(status)")
            }
        }
    }

    private func workerExited(_ worker: WorkerRecord, status: ExitStatus) {
        let now = monotonicMicroseconds()
        let slot = worker.slot
        let selfRecycled = slot.status == .stopping && status == .exited(0)
        let harakiri = status == .exited(Self.harakiriExitStatus)
        var line = "worker \(worker.id) (pid \(worker.pid)) \(status)"
        if let reason = worker.stopReason { line += " (\(reason))" } else if selfRecycled { line += " (recycled)" } else if harakiri { line += " (harakiri)" }
        log.info(line)
        if harakiri || worker.stopReason == "harakiri" { statsLedger.harakiri(slot: worker.id) }
        if slot.status == .ready || slot.status == .busy || selfRecycled { everReady = true }
        slot.resetForNewProcess()
        Posix.close(worker.lifeline)
        if case .staging(_, _, let stagedPID, _) = reload, stagedPID == worker.pid {
            abortReload(reason: "the new worker could not load the app (\(status)); the old workers keep serving")
            return
        }
        var record = history[worker.id] ?? SlotHistory()
        if worker.stop != nil || selfRecycled || harakiri {
            record.quickDeaths = 0
            record.respawnNotBefore = 0
        } else {
            record.quickDeaths = backoff.quickDeaths(after: record.quickDeaths, livedMicros: now - worker.spawnedAt,
                                                     minimumLifetimeSeconds: worker.generation.settings.minWorkerLifetime)
            let delay = backoff.delaySeconds(afterQuickDeaths: record.quickDeaths)
            record.respawnNotBefore = now + Int64(delay) * 1_000_000
            if delay > 0, phase == .running {
                log.info("worker \(worker.id) keeps dying within min-worker-lifetime: respawn delayed \(delay)s")
            }
        }
        history[worker.id] = record
        if status == .exited(Self.appNotLoadableExitStatus), worker.generation.settings.needApp, !everReady, phase == .running {
            log.error("app could not be loaded; exiting")
            shutDown(graceful: false, exitCode: 1)
        }
    }

    /// Readiness and reload progress, from the scoreboard.
    func observe() {
        if !everReady {
            everReady = workers.contains { [.ready, .busy].contains($0.slot.status) }
        }
        advanceReload()
    }

    /// harakiri (backstop for a wedged worker), evil-reload-on-rss, max-worker-lifetime.
    func checkRecycling() {
        let now = monotonicMicroseconds()
        for index in workers.indices where workers[index].stop == nil && !workers[index].held {
            let worker = workers[index]
            let settings = worker.generation.settings
            let slot = worker.slot
            // The slot's request start is per worker, not per thread: with threads > 1 it can stay set under a
            // steady load, so only the worker's own per-thread watchdog judges those.
            if settings.harakiri > 0, settings.threads == 1, slot.requestStartMicros > 0,
               now - slot.requestStartMicros > (Int64(settings.harakiri) + Self.harakiriGraceSeconds) * 1_000_000 {
                let request = slot.currentRequest
                log.error("HARAKIRI: worker \(worker.id) (pid \(worker.pid)) stuck on \(request.isEmpty ? "a request" : request) "
                          + "for \((now - slot.requestStartMicros) / 1_000_000)s (harakiri \(settings.harakiri)s): SIGKILL")
                kill(index, reason: "harakiri")
                continue
            }
            let age = now - worker.spawnedAt
            let oldEnough = age >= Int64(settings.minWorkerLifetime) * 1_000_000
            if settings.evilReloadOnRSSMB > 0, let rss = residentSetKB(worker.pid), rss > settings.evilReloadOnRSSMB * 1024 {
                log.info("evil-reload-on-rss: worker \(worker.id) (pid \(worker.pid)) rss \(rss / 1024) MB > \(settings.evilReloadOnRSSMB) MB: SIGKILL")
                kill(index, reason: "evil-reload-on-rss")
                continue
            }
            if settings.maxWorkerLifetime > 0, oldEnough, age >= Int64(settings.maxWorkerLifetime) * 1_000_000 {
                log.info("max-worker-lifetime: recycling worker \(worker.id) (pid \(worker.pid)) after \(age / 1_000_000)s")
                workers[index].stop = StopProgress(plan: .graceful(mercySeconds: settings.workerReloadMercy))
                workers[index].stopReason = "max-worker-lifetime"
            }
        }
    }

    private func kill(_ index: Int, reason: String) {
        workers[index].stop = StopProgress(plan: .immediate)
        workers[index].stopReason = reason
    }
}
