import LiegeConfig

/// The options of scale to zero (`cheap`, `idle`, `die-on-idle`) and adaptive workers (`cheaper*`),
/// read once from the config with their SPEC.md §13 defaults. The config already checked
/// `cheaper < processes` and `cheaper <= cheaper-initial <= processes`.
struct ScalingSettings: Sendable, Equatable {
    var processes: Int
    var cheap = false
    /// Seconds without a request before the workers stop (0: never).
    var idleSeconds = 0
    var dieOnIdle = false
    /// The fewest workers adaptive mode keeps (0: adaptive mode off, always `processes`).
    var cheaper = 0
    var cheaperInitial = 0
    var cheaperStep = 1
    /// Samples (one a second) of overload or idleness before acting; `backlog`: the queue length that means overload.
    var cheaperOverload = 3
    var algorithm = CheaperAlgorithm.spare

    init(processes: Int, cheap: Bool = false, idleSeconds: Int = 0, dieOnIdle: Bool = false, cheaper: Int = 0,
         cheaperInitial: Int? = nil, cheaperStep: Int = 1, cheaperOverload: Int = 3, algorithm: CheaperAlgorithm = .spare) {
        self.processes = max(1, processes)
        self.cheap = cheap
        self.idleSeconds = max(0, idleSeconds)
        self.dieOnIdle = dieOnIdle
        self.cheaper = min(max(0, cheaper), self.processes - 1)
        self.cheaperInitial = min(max(cheaperInitial ?? self.cheaper, self.cheaper), self.processes)
        self.cheaperStep = max(1, cheaperStep)
        self.cheaperOverload = max(1, cheaperOverload)
        self.algorithm = algorithm
    }

    init(_ config: Config) {
        self.init(processes: config[.processes], cheap: config[.cheap], idleSeconds: config[.idle],
                  dieOnIdle: config[.dieOnIdle], cheaper: config[.cheaper], cheaperInitial: config[.cheaperInitial],
                  cheaperStep: config[.cheaperStep], cheaperOverload: config[.cheaperOverload],
                  algorithm: config[.cheaperAlgorithm])
    }

    /// Adaptive worker counts are on.
    var isAdaptive: Bool { cheaper > 0 }
    /// Workers at start when not cheap.
    var initialCount: Int { isAdaptive ? cheaperInitial : processes }
    /// Workers spawned when a connection wakes a cheap master: `processes`, or `cheaper` if set.
    var wakeCount: Int { isAdaptive ? cheaper : processes }
    /// The fewest workers while not cheap.
    var floor: Int { isAdaptive ? cheaper : processes }
}
