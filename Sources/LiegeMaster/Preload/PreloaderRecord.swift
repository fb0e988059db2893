import LiegeSystem

/// The master's record of one preloader process (`lazy-apps = false`).
struct PreloaderRecord {
    enum Status: Equatable {
        /// Importing the app; no fork yet.
        case starting
        /// Imported: workers are forked from it.
        case ready
        /// Asked to leave (its channel closed); SIGKILL at `killAt`.
        case stopping(killAt: Int64)
    }

    /// The generation whose workers it forks (a reload that keeps the config hands it on).
    var generation: Generation
    let pid: Int32
    let link: PreloaderLink
    let startedAt: Int64
    var status = Status.starting

    var isStopping: Bool { killAt != nil }

    /// When a stopping preloader gets SIGKILL.
    var killAt: Int64? {
        if case .stopping(let killAt) = status { return killAt }
        return nil
    }
}

/// What the master knows about preloading beyond the live preloaders.
struct PreloadBook {
    /// Seconds a preloader gets to leave once its channel is closed, before SIGKILL.
    static let stopMercySeconds: Int64 = 5

    var preloaders: [PreloaderRecord] = []
    /// Generations (by number) whose workers are spawned to import the app themselves although
    /// `lazy-apps = false`, and why (the app starts threads at import, ...).
    var lazyFallback: [Int: String] = [:]
    /// The current generation's preloader died: no new one before this (monotonic µs); lazy spawns meanwhile.
    var restartNotBefore: Int64 = 0
    /// Consecutive preloader deaths within `min-worker-lifetime` of their start.
    var quickDeaths = 0
    /// PR_SET_CHILD_SUBREAPER is set (before the first preloader: its forked workers become our children).
    var isSubreaper = false

    /// How a worker of `generation` is started now.
    func route(for generation: Generation) -> SpawnRoute {
        guard generation.settings.preload, lazyFallback[generation.number] == nil else { return .spawn }
        guard let index = preloaders.firstIndex(where: { $0.generation === generation && !$0.isStopping }) else {
            return .spawn   // its preloader is restarting after a crash: the slot is not left empty meanwhile
        }
        return preloaders[index].status == .ready ? .fork(preloader: index) : .wait
    }

    /// The live (not stopping) preloader of `generation`.
    func live(for generation: Generation) -> Int? {
        preloaders.firstIndex { $0.generation === generation && !$0.isStopping }
    }
}

/// How a worker is started.
enum SpawnRoute: Equatable {
    /// posix_spawn; it imports the app itself.
    case spawn
    /// Forked from this preloader.
    case fork(preloader: Int)
    /// Not yet: its preloader is still importing the app.
    case wait
}
