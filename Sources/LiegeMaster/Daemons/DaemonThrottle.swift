/// Restart delays of an attached daemon that keeps dying (SPEC.md §9): an exit within 10 s of its start
/// is a failure; the delay is 1 s, doubling per consecutive failure, up to `maximumSeconds` (60 s by
/// default, `max_throttle`); a run of 10 s or more resets it. Pure, so tests read the schedule.
struct DaemonThrottle: Sendable, Equatable {
    static let healthyMicros: Int64 = 10_000_000

    var maximumSeconds: Int
    private(set) var failures = 0

    init(maximumSeconds: Int = 60) {
        self.maximumSeconds = maximumSeconds
    }

    /// Records an exit after `livedMicros` of running; returns the seconds to wait before the next start.
    mutating func delayAfterExit(livedMicros: Int64) -> Int {
        guard livedMicros < Self.healthyMicros else {
            failures = 0
            return 0
        }
        failures += 1
        return min(maximumSeconds, 1 << min(failures - 1, 20))
    }
}
