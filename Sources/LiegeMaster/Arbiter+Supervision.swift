import LiegeSystem

/// Reaping and the master's own checks on live workers (SPEC.md §4).
extension Arbiter {
    /// Exit status of a worker that aborted a request for harakiri (it already answered 504 and logged).
    static let harakiriExitStatus = WorkerContract.harakiriExitStatus
    /// Exit status of a worker whose app cannot be imported.
    static let appNotLoadableExitStatus = WorkerContract.appNotLoadableExitStatus
    /// Seconds past `harakiri` the master waits for a worker to abort a request itself before SIGKILL.
    static let harakiriGraceSeconds: Int64 = 1

    func reap() {
        for (pid, status) in Processes.reap() {
            if let worker = workers.remove(pid: pid) {
                workerExited(worker, status: status)
            } else if preload.preloaders.contains(where: { $0.pid == pid }) {
                preloaderExited(pid, status: status)
            } else if daemons.reaped(pid, status) || cron.reaped(pid, status)
                        || spoolers.reaped(pid, status, now: monotonicMicroseconds()) {
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
        if harakiri || worker.stopReason == .harakiri { statsLedger.harakiri(slot: worker.id) }
        if slot.status == .ready || slot.status == .busy || selfRecycled { everReady = true }
        slot.resetForNewProcess()
        Posix.close(worker.lifeline)
        if planner.isImportCheck(worker.pid) {
            follow(.exited(pid: worker.pid, status: "\(status)"))
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
        follow(.look)
    }

    /// harakiri (backstop for a wedged worker), evil-reload-on-rss, max-worker-lifetime.
    func checkRecycling() {
        let now = monotonicMicroseconds()
        for worker in workers where !worker.isStopping && !worker.held {
            let settings = worker.generation.settings
            let slot = worker.slot
            // The slot's request start is per worker, not per thread: with threads > 1 it can stay set under a
            // steady load, so only the worker's own per-thread watchdog judges those. An ASGI worker's requests
            // share one loop (a WebSocket may stay open for hours): its watchdog judges the loop, not a request.
            if settings.harakiri > 0, settings.threads == 1, !settings.servesASGI, slot.requestStartMicros > 0,
               now - slot.requestStartMicros > (Int64(settings.harakiri) + Self.harakiriGraceSeconds) * 1_000_000 {
                let request = slot.currentRequest
                log.error("HARAKIRI: worker \(worker.id) (pid \(worker.pid)) stuck on \(request.isEmpty ? "a request" : request) "
                          + "for \((now - slot.requestStartMicros) / 1_000_000)s (harakiri \(settings.harakiri)s): SIGKILL")
                workers.stop(pid: worker.pid, plan: .immediate, reason: .harakiri)
                continue
            }
            let age = now - worker.spawnedAt
            let oldEnough = age >= Int64(settings.minWorkerLifetime) * 1_000_000
            if settings.evilReloadOnRSSMB > 0, let rss = residentSetKB(worker.pid), rss > settings.evilReloadOnRSSMB * 1024 {
                log.info("evil-reload-on-rss: worker \(worker.id) (pid \(worker.pid)) rss \(rss / 1024) MB > \(settings.evilReloadOnRSSMB) MB: SIGKILL")
                workers.stop(pid: worker.pid, plan: .immediate, reason: .evilReloadOnRSS)
                continue
            }
            if settings.maxWorkerLifetime > 0, oldEnough, age >= Int64(settings.maxWorkerLifetime) * 1_000_000 {
                log.info("max-worker-lifetime: recycling worker \(worker.id) (pid \(worker.pid)) after \(age / 1_000_000)s")
                workers.stop(pid: worker.pid, plan: .graceful(mercySeconds: settings.workerReloadMercy), reason: .maxWorkerLifetime)
            }
        }
    }
}
