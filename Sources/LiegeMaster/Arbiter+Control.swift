import LiegeSystem

/// The master's control surfaces besides signals: master FIFO commands, touch files, stats and log files.
extension Arbiter {
    /// A touch file changed (SPEC.md §5.4).
    func touched(_ option: TouchOption) {
        switch option {
        case .reload: requestReload(.graceful)
        case .workersReload: requestReload(.workers)
        case .chainReload: requestReload(.chain)
        case .logReopen: reopenLog(reason: option.rawValue)
        }
    }

    /// A reload that re-read the config committed: the master's own set-up follows the settings that
    /// changed; what cannot change in a running master is logged.
    func applyControls(from old: MasterSettings, to new: MasterSettings) {
        let changes = ControlChanges(from: old, to: new)
        for option in changes.needRestart { log.info(ControlChanges.restartNote(option)) }
        controls.apply(changes, new)
        resources.updatePidfiles(write: changes.newPidfiles, remove: changes.droppedPidfiles, log: log)
        if !changes.statsEndpoints.isEmpty { stats?.update(to: new.statsEndpoints, log: log) }
    }

    /// One master-fifo command (SPEC.md §5.4).
    func command(_ byte: UInt8) {
        let scalar = Unicode.Scalar(byte)
        switch Character(scalar) {
        case "r": log.info("master-fifo r: graceful reload"); requestReload(.graceful)
        case "R": log.info("master-fifo R: brutal reload"); requestReload(.brutal(rereadConfig: true))
        case "w": log.info("master-fifo w: workers reload"); requestReload(.workers)
        case "W": log.info("master-fifo W: brutal workers reload"); requestReload(.brutal(rereadConfig: false))
        case "c": log.info("master-fifo c: chain reload"); requestReload(.chain)
        case "q": stopGracefully(exitCode: 0, reason: "master-fifo q")
        case "Q": log.info("master-fifo Q: immediate shutdown"); shutDown(graceful: false, exitCode: 0)
        case "s": logStats()
        case "l": reopenLog(reason: "master-fifo l")
        case "L": rotateLog()
        case "P": log.info("master-fifo P: pidfiles rewritten"); resources.rewritePidfiles(log: log)
        case "p": togglePause()
        case "+", "-", "C": scalingCommand(Character(scalar))
        case " ", "\n", "\r", "\t": break
        default: log.info("master-fifo: unknown command byte \(byte)")
        }
    }

    /// fifo `p`: paused workers stop accepting (connections wait in the backlog); `p` again resumes.
    private func togglePause() {
        paused.toggle()
        if paused {
            log.info("master-fifo p: paused: workers stop accepting, connections wait in the backlog")
            workers.stop(where: { _ in true }, plan: .graceful(mercySeconds: settings.workerReloadMercy), reason: .pause)
        } else {
            log.info("master-fifo p: resumed")
            history = [:]
        }
    }

    func logStats() {
        let now = monotonicMicroseconds()
        let mode = paused && self.mode == .normal ? "paused" : self.mode.rawValue
        log.info("stats: \(workers.count) workers, generation \(current.number), mode \(mode)")
        for worker in workers.sorted(by: { ($0.id, $0.spawnedAt) < ($1.id, $1.spawnedAt) }) {
            let slot = worker.slot
            let rss = residentSetKB(worker.pid) ?? slot.rssKB
            var line = "stats: worker \(worker.id) (pid \(worker.pid)) \(worker.held ? "held" : "\(slot.status)"): "
                + "\(slot.requests) requests, \(slot.exceptions) exceptions, rss \(rss) KB, respawns \(slot.respawns), "
                + "age \((now - worker.spawnedAt) / 1_000_000)s"
            if slot.requestStartMicros > 0 {
                let request = slot.currentRequest
                line += ", busy for \((now - slot.requestStartMicros) / 1000) ms" + (request.isEmpty ? "" : " with \(request)")
            }
            log.info(line)
        }
    }

    func reopenLog(reason: String) {
        reopenLog(reason: reason, logFile: settings.logFile)
    }

    /// Reopens `logFile`, the file the log pump writes to now (a reload passes its new config's file).
    func reopenLog(reason: String, logFile: String?) {
        guard logFile != nil || settings.hasLoggers else { return }
        let log = log
        pump.reopen { failure in
            if let failure { log.error(failure) } else { log.info("\(reason): log file reopened") }
        }
    }

    private func rotateLog() {
        let log = log
        pump.rotate { failure in
            if let failure { log.error("master-fifo L: \(failure)") } else { log.info("master-fifo L: log rotated") }
        }
    }
}
