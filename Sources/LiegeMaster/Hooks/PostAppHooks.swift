import Dispatch
import LiegeSystem

/// Runs the `post-app` hooks once, as soon as a worker of the first generation reports ready (the app is
/// loaded): the scoreboard is polled every 50 ms on a queue of its own until then (or 10 minutes).
final class PostAppHooks: @unchecked Sendable {
    private let queue = DispatchQueue(label: "liege.master.postapp")
    private var timer: DispatchSourceTimer?

    static func watch(_ plan: HookPlan, scoreboard: Scoreboard, log: Logger) -> PostAppHooks? {
        guard plan.hooks[.postApp] != nil else { return nil }
        let watcher = PostAppHooks()
        watcher.queue.async { watcher.start(plan, scoreboard: scoreboard, log: log) }
        return watcher
    }

    private func start(_ plan: HookPlan, scoreboard: Scoreboard, log: Logger) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let deadline = monotonicMicroseconds() + 600_000_000
        timer.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(50), leeway: .milliseconds(10))
        timer.setEventHandler { [self] in
            let ready = scoreboard.slots.contains { ($0.status == .ready || $0.status == .busy) && $0.pid > 0 }
            guard ready || monotonicMicroseconds() > deadline else { return }
            self.timer?.cancel()
            self.timer = nil
            if ready, let failure = plan.run(.postApp, log: log) { log.error(failure) }
        }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }
}
