/// Respawn delays of a vassal that keeps failing: none for the first respawn of a healthy vassal, then
/// `emperor-throttle` doubling per consecutive failure up to `emperor-max-throttle` (SPEC.md §12.3).
public struct EmperorThrottle: Sendable, Equatable {
    public var firstMilliseconds: Int
    public var maximumMilliseconds: Int

    public init(firstMilliseconds: Int, maximumMilliseconds: Int) {
        self.firstMilliseconds = max(0, firstMilliseconds)
        self.maximumMilliseconds = max(0, maximumMilliseconds)
    }

    /// The delay after `failures` consecutive failures (0 failures: respawn now).
    public func delayMilliseconds(afterFailures failures: Int) -> Int {
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 40)
        let delay = firstMilliseconds.multipliedReportingOverflow(by: 1 << doublings)
        return delay.overflow ? maximumMilliseconds : min(maximumMilliseconds, delay.partialValue)
    }

    /// A vassal counts as healthy, and is respawned at once, once it was ready this long.
    public static let healthySeconds = 10
}
