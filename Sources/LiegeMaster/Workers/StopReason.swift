/// Why the master stops a worker: named in the log line when it is gone (`... exited with status 0
/// (reload)`); a harakiri also counts in the stats.
enum StopReason: String, Sendable, Equatable, CustomStringConvertible {
    case shutdown
    case dieOnIdle = "die-on-idle"
    case reload
    case reloadAborted = "reload aborted"
    case chainReload = "chain reload"
    case harakiri
    case evilReloadOnRSS = "evil-reload-on-rss"
    case maxWorkerLifetime = "max-worker-lifetime"
    case pause
    case idle
    case cheapMode = "cheap mode"
    case cheaper

    var description: String { rawValue }
}
