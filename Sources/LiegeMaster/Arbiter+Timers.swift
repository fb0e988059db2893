import Dispatch
import LiegeSystem

/// When the arbiter looks again, and what it lets go of between looks.
extension Arbiter {
    /// One-shot wake-up for the earliest pending deadline (back-off end, mercy end) between heartbeats.
    func scheduleWake() {
        var deadlines = workers.compactMap { $0.stop?.deadline }
        if phase == .running {
            let now = monotonicMicroseconds()
            deadlines += (1...settings.processes).compactMap { id in
                workers.contains { $0.id == id } ? nil : history[id].flatMap { $0.respawnNotBefore > now ? $0.respawnNotBefore : nil }
            }
        }
        if let stopDeadline { deadlines.append(stopDeadline) }
        updateFastTimer()
        updateHeartbeat()
        guard let earliest = deadlines.min() else { return }
        wakeup.arm(at: earliest) { [self] in tick() }
    }

    /// The once-a-second look runs only while something needs it; a steady master with nothing on the
    /// clock sleeps until a signal, a child's exit, a connection, a command or one of the deadlines above.
    private var needsHeartbeat: Bool {
        phase != .running || reload != nil || pendingReload != nil || !everReady || paused
            || generations.contains { $0.settings.needsWorkerChecks }
            || daemons.hasWork || cron.hasWork || controls.needsRescans
    }

    private func updateHeartbeat() {
        if needsHeartbeat, heartbeat == nil {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(50))
            timer.setEventHandler { [self] in
                controls.rescan()
                sampleScaling()
                tick()
            }
            timer.resume()
            heartbeat = timer
        } else if !needsHeartbeat, let timer = heartbeat {
            timer.cancel()
            heartbeat = nil
        }
    }

    /// While a reload waits for a worker to report ready, look every 5 ms (readiness is a scoreboard field).
    private func updateFastTimer() {
        let needed = reload != nil || workers.contains { $0.held }
        if needed, fastTimer == nil {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .milliseconds(5), repeating: .milliseconds(5))
            timer.setEventHandler { [self] in tick() }
            timer.resume()
            fastTimer = timer
        } else if !needed, let timer = fastTimer {
            timer.cancel()
            fastTimer = nil
        }
    }

    /// Closes generations no worker uses any more (their scoreboard and config memfd), and the sockets
    /// only they used.
    func retireGenerations() {
        var staged: Generation?
        if case .staging(_, let generation, _, _) = reload { staged = generation }
        let before = generations.count
        generations.removeAll { generation in
            guard generation !== current, generation !== staged, !workers.contains(where: { $0.generation === generation }) else { return false }
            statsLedger.retire(generation.scoreboard)
            generation.close()
            return true
        }
        if generations.count != before {
            resources.sockets.closeAll(except: generations.reduce(into: Set()) { $0.formUnion($1.socketKeys) }, log: log)
        }
    }
}
