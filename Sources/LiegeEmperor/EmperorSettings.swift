import LiegeConfig

/// The options the emperor acts on, read once with their SPEC.md §13 defaults.
public struct EmperorSettings: Sendable {
    public var sources: [VassalSource]
    public var rescanSeconds: Int
    public var throttle: EmperorThrottle
    public var curseToleranceSeconds: Int
    public var followLinks: Bool
    public var tyrant: Bool
    public var tyrantInitgroups: Bool
    public var statsAddress: String?
    /// `metrics = ADDR`: Prometheus text at `GET /metrics` (a Liege extension, as on masters).
    public var metricsAddress: String?
    public var pidfile: String?
    public var vassalSet: [String]
    public var includeBefore: [String]
    public var inheritBefore: [String]
    public var include: [String]
    public var inherit: [String]
    public var onDemand: OnDemandRule?

    public init(_ config: Config, workingDirectory: String) {
        func int(_ option: String, _ fallback: Int) -> Int { config.isSet(option) ? config.int(option) : fallback }
        func text(_ option: String) -> String? { config.string(option).flatMap { $0.isEmpty ? nil : $0 } }
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : workingDirectory + "/" + path }
        sources = config.list("emperor").map { VassalSource($0, workingDirectory: workingDirectory) }
        rescanSeconds = max(1, int("emperor-freq", 3))
        throttle = EmperorThrottle(firstMilliseconds: int("emperor-throttle", 1000),
                                   maximumMilliseconds: int("emperor-max-throttle", 180_000))
        curseToleranceSeconds = int("emperor-curse-tolerance", 30)
        followLinks = !config.bool("emperor-nofollow")
        tyrant = config.bool("emperor-tyrant")
        tyrantInitgroups = config.bool("emperor-tyrant-initgroups")
        statsAddress = text("emperor-stats")
        metricsAddress = text("metrics")
        pidfile = text("emperor-pidfile").map(absolute)
        vassalSet = config.list("vassal-set")
        includeBefore = config.list("vassals-include-before").map(absolute)
        inheritBefore = config.list("vassals-inherit-before").map(absolute)
        include = config.list("vassals-include").map(absolute)
        inherit = config.list("vassals-inherit").map(absolute)
        if let directory = text("emperor-on-demand-directory") {
            onDemand = .directory(absolute(directory))
        } else if let ext = text("emperor-on-demand-extension") {
            onDemand = .extension(ext)
        } else if let command = text("emperor-on-demand-exec") {
            onDemand = .exec(command)
        }
    }
}

/// How the emperor finds a vassal's on-demand address (SPEC.md §12.5).
public enum OnDemandRule: Sendable, Equatable {
    /// Unix socket `DIR/NAME.socket`.
    case directory(String)
    /// The first line of the file `VASSALFILE` + extension.
    case `extension`(String)
    /// The first output line of `COMMAND VASSALFILE`.
    case exec(String)
}
