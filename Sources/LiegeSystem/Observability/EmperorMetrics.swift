/// The emperor's `/metrics` page (SPEC.md §12.6 extension): vassals by state, restarts and back-off per
/// vassal. The emperor fills `Vassal` values from its records on its queue and serves `render` with a
/// `DocumentServer` (see docs/observability.md).
public struct EmperorMetrics: Sendable {
    /// What the page shows of one vassal.
    public struct Vassal: Sendable, Equatable {
        public var name: String
        /// One of `states` (the emperor-stats `state` field).
        public var state: String
        public var pid: Int32
        /// Master processes started after the first one.
        public var restarts: Int
        /// Consecutive failed starts (the back-off level; 0 when healthy).
        public var failures: Int

        public init(name: String, state: String, pid: Int32, restarts: Int, failures: Int) {
            self.name = name
            self.state = state
            self.pid = pid
            self.restarts = restarts
            self.failures = failures
        }
    }

    /// Every vassal state, so each has a series even at 0.
    public static let states = ["starting", "running", "reloading", "stopping", "backoff", "on-demand", "invalid"]

    public static func render(_ vassals: [Vassal]) -> String {
        var page = PrometheusText()
        page.family("liege_emperor_vassals", .gauge, help: "Vassals known to the emperor, by state.")
        for state in states {
            page.sample("liege_emperor_vassals", Double(vassals.filter { $0.state == state }.count), labels: [("state", state)])
        }
        page.family("liege_emperor_vassal_up", .gauge, help: "1 when the vassal's master process runs.")
        for vassal in vassals {
            page.sample("liege_emperor_vassal_up", vassal.pid > 0 ? 1 : 0, labels: [("vassal", vassal.name)])
        }
        page.family("liege_emperor_vassal_restarts_total", .counter, help: "Master processes started for the vassal after the first.")
        for vassal in vassals {
            page.sample("liege_emperor_vassal_restarts_total", Double(vassal.restarts), labels: [("vassal", vassal.name)])
        }
        page.family("liege_emperor_vassal_backoff_level", .gauge, help: "Consecutive failed starts of the vassal (0: healthy).")
        for vassal in vassals {
            page.sample("liege_emperor_vassal_backoff_level", Double(vassal.failures), labels: [("vassal", vassal.name)])
        }
        return page.text
    }
}
