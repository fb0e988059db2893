import LiegeSystem

/// `drain-delay` and readiness: a graceful stop (SIGTERM, master-fifo `q`, the emperor removing the
/// vassal) first keeps serving `drain-delay` seconds while `GET /ready` answers 503, so a load balancer
/// or a Kubernetes endpoint update moves traffic away; then the usual graceful stop runs.
extension Arbiter {
    /// A graceful stop asked from outside: drains first when `drain-delay` is set.
    func stopGracefully(exitCode: Int32, reason: String) {
        let delay = settings.drainDelay
        guard delay > 0, phase == .running else {
            log.info("\(reason): graceful shutdown")
            shutDown(graceful: true, exitCode: exitCode)
            return
        }
        guard drainUntil == nil else {
            log.info("\(reason): already draining; the graceful shutdown follows the drain")
            return
        }
        drainUntil = monotonicMicroseconds() + Int64(delay) * 1_000_000
        drainExitCode = exitCode
        log.info("\(reason): draining for \(delay)s (drain-delay): /ready answers 503, workers keep serving; "
                 + "then graceful shutdown")
    }

    /// Ends the drain once its time is up (called first in every tick); an immediate stop meanwhile ends it too.
    func endDrainIfDue() {
        guard let until = drainUntil else { return }
        guard phase == .running else {
            drainUntil = nil
            return
        }
        guard monotonicMicroseconds() >= until else { return }
        drainUntil = nil
        log.info("drain-delay over: graceful shutdown")
        shutDown(graceful: true, exitCode: drainExitCode)
    }

    /// The facts `/ready` is decided from (on the queue).
    var readinessFacts: Readiness.Facts {
        let accepting = workers.filter {
            $0.generation === current && $0.stop == nil && !$0.held && [.ready, .busy].contains($0.slot.status)
        }.count
        return Readiness.Facts(stopping: phase != .running, draining: drainUntil != nil, reloading: planner.isReloading,
                               cheap: scaling.state == .cheap, paused: paused, generation: current.number,
                               accepting: accepting)
    }
}
