/// One look at the workers, taken by the master once a second for `WorkerCountPolicy` (from the
/// scoreboard and, for `cheaper-algo = backlog`, from the kernel).
struct ScalingSample: Sendable, Equatable {
    /// When (monotonic µs).
    var now: Int64
    /// Workers of the current config that accept (ready or busy) and are not being stopped.
    var serving: Int
    /// Of those, how many have a request in flight.
    var busy: Int
    /// Workers still loading the app.
    var starting = 0
    /// The latest end of a request any worker reports (monotonic µs, 0 = none).
    var lastRequestEnd: Int64 = 0
    /// Connections waiting in the kernel's accept queues (summed over the sockets), when asked for.
    var backlog: Int?

    /// Workers that accept and have nothing to do.
    var idle: Int { max(0, serving - busy) }
}

/// A decision of `WorkerCountPolicy`, for the master to log and act on; the new worker count is the
/// policy's `target`.
enum ScalingEvent: Sendable, Equatable, CustomStringConvertible {
    /// A connection arrived while cheap: `count` workers are spawned.
    case woke(count: Int)
    /// More workers: from, to, and why.
    case grew(from: Int, to: Int, reason: String)
    /// Fewer workers (only idle ones are stopped): from, to, and why.
    case shrank(from: Int, to: Int, reason: String)
    /// Every worker stops gracefully and the master waits for the next connection.
    case wentCheap(reason: String)
    /// `die-on-idle`: the master exits 0.
    case exitOnIdle(seconds: Int)
    /// A request that changes nothing (fifo `+` at `processes`...), with why.
    case refused(String)

    var description: String {
        switch self {
        case .woke(let count):
            return "cheap mode: a connection is waiting: spawning \(count) worker\(count == 1 ? "" : "s")"
        case .grew(let from, let to, let reason):
            return "cheaper: \(reason): spawning \(to - from) more worker\(to - from == 1 ? "" : "s") (\(from) -> \(to))"
        case .shrank(let from, let to, let reason):
            return "cheaper: \(reason): stopping an idle worker (\(from) -> \(to))"
        case .wentCheap(let reason):
            return "\(reason): workers stop gracefully; cheap mode: the next connection spawns them again"
        case .exitOnIdle(let seconds):
            return "idle for more than \(seconds)s: die-on-idle: exiting"
        case .refused(let why):
            return why
        }
    }
}
