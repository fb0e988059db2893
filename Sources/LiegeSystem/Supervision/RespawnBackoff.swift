/// How long to wait before restarting a child that keeps dying young (SPEC.md §4: never a hot loop).
///
/// A death within the minimum lifetime of its spawn is "quick". The first quick death is respawned at
/// once; from the second in a row the delay is 1 s, then doubles, up to 30 s. A child that lived long
/// enough resets the count. Pure, so the master and the emperor share it and tests read the schedule.
public struct RespawnBackoff: Sendable, Equatable {
    public var firstDelaySeconds: Int
    public var maximumDelaySeconds: Int

    public init(firstDelaySeconds: Int = 1, maximumDelaySeconds: Int = 30) {
        self.firstDelaySeconds = firstDelaySeconds
        self.maximumDelaySeconds = maximumDelaySeconds
    }

    /// Seconds to wait after `quickDeaths` consecutive quick deaths (0 = respawn now).
    public func delaySeconds(afterQuickDeaths quickDeaths: Int) -> Int {
        guard quickDeaths >= 2 else { return 0 }
        let doublings = min(quickDeaths - 2, 30)
        return min(maximumDelaySeconds, firstDelaySeconds << doublings)
    }

    /// The new count of consecutive quick deaths after a death at age `livedMicros`.
    public func quickDeaths(after previous: Int, livedMicros: Int64, minimumLifetimeSeconds: Int) -> Int {
        livedMicros < Int64(minimumLifetimeSeconds) * 1_000_000 ? previous + 1 : 0
    }
}
