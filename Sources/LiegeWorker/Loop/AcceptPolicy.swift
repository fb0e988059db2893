/// Whether a worker's loop takes a waiting connection now. Every worker of a vassal is woken by a
/// new connection on the shared socket; a worker holding more connections than the least loaded of
/// its accepting siblings lets that one take it, so keep-alive clients
/// spread evenly and a worker whose app threads are busy does not hoard connections an idle one
/// could serve. A sibling that does not take it within `patienceMillis` (stuck, or starved of CPU)
/// does not hold the connection up: the worker then accepts one anyway. Pure: no clock, no I/O.
struct AcceptPolicy {
    enum Decision: Equatable {
        case accept
        /// Look again at this time (milliseconds, the caller's monotonic clock).
        case deferUntil(Int64)
    }

    var patienceMillis: Int64 = 5

    /// - Parameters:
    ///   - mine: this worker's load.
    ///   - siblings: the loads of the other live workers (empty with one process).
    ///   - deferredSince: when this worker first let a waiting connection pass, if it did.
    func decide(mine: Int, siblings: [Int], deferredSince: Int64?, now: Int64) -> Decision {
        guard let least = siblings.min(), mine > least else { return .accept }
        if let since = deferredSince, now - since >= patienceMillis { return .accept }
        return .deferUntil((deferredSince ?? now) + patienceMillis)
    }
}
