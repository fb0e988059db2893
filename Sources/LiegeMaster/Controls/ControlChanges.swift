/// What a reload that re-read the config changes in the master's own set-up, from the settings before
/// and after: the touch files, the master FIFO, the pidfiles and the stats endpoints are made to follow
/// it; the options in `needRestart` cannot change in a running master and are only reported. Pure.
struct ControlChanges: Equatable {
    /// Touch options whose list of files differs.
    var touchOptions: [TouchOption]
    /// `master-fifo` names another path (or was added or dropped).
    var masterFifo: Bool
    /// Pidfile paths (`pidfile`, `pidfile2`) configured now and not before: to write.
    var newPidfiles: [String]
    /// Pidfile paths no longer configured: to remove (if we wrote them).
    var droppedPidfiles: [String]
    /// `stats` or `metrics` endpoints that differ (address, `stats-http`, `stats-minified`).
    var statsEndpoints: [StatsEndpoint.Kind]
    /// Options that changed but only take effect when the master restarts (for sockets already bound).
    var needRestart: [String]

    init(from old: MasterSettings, to new: MasterSettings) {
        touchOptions = TouchOption.allCases.filter { $0.paths(in: old) != $0.paths(in: new) }
        masterFifo = old.masterFifo != new.masterFifo
        let oldPidfiles = [old.pidfile, old.pidfile2].compactMap { $0 }
        let newPidfiles = [new.pidfile, new.pidfile2].compactMap { $0 }
        self.newPidfiles = newPidfiles.filter { !oldPidfiles.contains($0) }
        droppedPidfiles = oldPidfiles.filter { !newPidfiles.contains($0) }
        statsEndpoints = StatsEndpoint.Kind.allCases.filter { kind in
            old.statsEndpoints.first { $0.kind == kind } != new.statsEndpoints.first { $0.kind == kind }
        }
        let fixed: [(String, Bool)] = [
            ("uid", old.uid != new.uid),
            ("gid", old.gid != new.gid),
            ("listen", old.listenBacklog != new.listenBacklog),
            ("chmod-socket", old.chmodSocket != new.chmodSocket),
            ("chown-socket", old.chownSocket != new.chownSocket),
        ]
        needRestart = fixed.filter(\.1).map(\.0)
    }

    /// The log line for an option in `needRestart`.
    static func restartNote(_ option: String) -> String {
        switch option {
        case "uid", "gid": "reload: \(option) changed; it takes effect when the master restarts"
        default: "reload: \(option) changed; new sockets get it, the ones already bound keep theirs until the master restarts"
        }
    }
}
