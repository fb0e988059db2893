/// Stopping a child, as data: the steps the master (or the emperor) walks through for each child it
/// stops, one step at a time from its loop. A test reads the plan; the arbiter executes it.
public struct StopPlan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Ask the child to stop on its own (a worker: `q` on its lifeline: stop accepting, finish in-flight).
        case requestStop
        /// Wait for the child to exit, at most this many seconds, then go on.
        case waitUpTo(seconds: Int)
        /// SIGKILL the child's whole process group.
        case killGroup
    }

    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }

    /// Ask, wait up to `mercySeconds`, then kill.
    public static func graceful(mercySeconds: Int) -> StopPlan {
        StopPlan(steps: [.requestStop, .waitUpTo(seconds: max(0, mercySeconds)), .killGroup])
    }

    /// Kill at once.
    public static let immediate = StopPlan(steps: [.killGroup])
}

/// Where one child is in its `StopPlan`.
public struct StopProgress: Sendable, Equatable {
    public let plan: StopPlan
    public private(set) var index = 0
    /// End of the current `waitUpTo` step (monotonic µs), once it has started.
    public private(set) var deadline: Int64?

    public init(plan: StopPlan) {
        self.plan = plan
    }

    public var isFinished: Bool { index >= plan.steps.count }

    /// Advances as far as possible at time `now`; returns the actions to perform now, in order
    /// (`requestStop`, `killGroup`). When it stops at a wait, `deadline` says when to look again.
    public mutating func advance(now: Int64) -> [StopPlan.Step] {
        var actions: [StopPlan.Step] = []
        while index < plan.steps.count {
            let step = plan.steps[index]
            if case .waitUpTo(let seconds) = step {
                let end = deadline ?? now + Int64(seconds) * 1_000_000
                deadline = end
                if now < end { return actions }
                deadline = nil
            } else {
                actions.append(step)
            }
            index += 1
        }
        return actions
    }
}
