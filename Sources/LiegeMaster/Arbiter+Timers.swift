import Dispatch
import LiegeSystem

/// When the arbiter looks again, and what it lets go of between looks.
extension Arbiter {
    /// One-shot wake-up for the earliest pending deadline (back-off end, mercy end) between heartbeats.
    func scheduleWake() {
        var deadlines = workers.stopDeadlines
        if phase == .running {
            let now = monotonicMicroseconds()
            deadlines += (1...settings.processes).compactMap { id in
                workers.contains { $0.id == id } ? nil : history[id].flatMap { $0.respawnNotBefore > now ? $0.respawnNotBefore : nil }
            }
        }
        if let stopDeadline { deadlines.append(stopDeadline) }
        deadlines += preloadDeadlines
        if let drainUntil { deadlines.append(drainUntil) }
        updateFastTimer()
        updateHeartbeat()
        guard let earliest = deadlines.min() else { return }
        wakeup.arm(at: earliest) { [self] in tick() }
    }

    /// The once-a-second look runs only while something needs it; a steady master with nothing on the
    /// clock sleeps until a signal, a child's exit, a connection, a command or one of the deadlines above.
    private var needsHeartbeat: Bool {
        phase != .running || planner.isReloading || planner.pending != nil || !everReady || paused
            || generations.contains { $0.settings.needsWorkerChecks }
            || daemons.hasWork || cron.hasWork || spoolers.hasWork || controls.needsRescans
    }

    private func updateHeartbeat() {
        keepRepeating(&heartbeat, while: needsHeartbeat, every: .seconds(1), leeway: .milliseconds(50)) { [self] in
            controls.rescan()
            sampleScaling()
            tick()
        }
    }

    /// While a reload waits for a worker to report ready, look every 5 ms (readiness is a scoreboard field).
    private func updateFastTimer() {
        keepRepeating(&fastTimer, while: planner.isReloading || workers.contains { $0.held }, every: .milliseconds(5)) { [self] in
            tick()
        }
    }

    /// Keeps `timer` firing `handler` on the queue every `period` while `needed`, and cancelled otherwise.
    private func keepRepeating(_ timer: inout DispatchSourceTimer?, while needed: Bool, every period: DispatchTimeInterval,
                               leeway: DispatchTimeInterval = .nanoseconds(0), _ handler: @escaping @Sendable () -> Void) {
        if needed, timer == nil {
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + period, repeating: period, leeway: leeway)
            source.setEventHandler(handler: handler)
            source.resume()
            timer = source
        } else if !needed, let source = timer {
            source.cancel()
            timer = nil
        }
    }

    /// Closes generations no worker uses any more (their scoreboard and config memfd), and the sockets
    /// only they used.
    func retireGenerations() {
        let staged = planner.stagedGeneration
        let before = generations.count
        generations.removeAll { generation in
            guard generation !== current, generation.number != staged, !workers.contains(where: { $0.generation === generation }) else { return false }
            statsLedger.retire(generation.scoreboard)
            generation.close()
            return true
        }
        if generations.count != before {
            resources.sockets.closeAll(except: generations.reduce(into: Set()) { $0.formUnion($1.socketKeys) }, log: log)
        }
    }
}
