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
        func text(_ option: Option<String?>) -> String? { config[option].flatMap { $0.isEmpty ? nil : $0 } }
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : workingDirectory + "/" + path }
        sources = config[.emperor].map { VassalSource($0, workingDirectory: workingDirectory) }
        rescanSeconds = max(1, config[.emperorFrequency])
        throttle = EmperorThrottle(firstMilliseconds: config[.emperorThrottle], maximumMilliseconds: config[.emperorMaxThrottle])
        curseToleranceSeconds = config[.emperorCurseTolerance]
        followLinks = !config[.emperorNoFollow]
        tyrant = config[.emperorTyrant]
        tyrantInitgroups = config[.emperorTyrantInitgroups]
        statsAddress = config[.emperorStats]
        metricsAddress = config[.metrics]
        pidfile = config[.emperorPidfile].map(absolute)
        vassalSet = config[.vassalSet].map(\.text)
        includeBefore = config[.vassalsIncludeBefore].map(absolute)
        inheritBefore = config[.vassalsInheritBefore].map(absolute)
        include = config[.vassalsInclude].map(absolute)
        inherit = config[.vassalsInherit].map(absolute)
        if let directory = config[.emperorOnDemandDirectory] {
            onDemand = .directory(absolute(directory))
        } else if let ext = text(.emperorOnDemandExtension) {
            onDemand = .extension(ext)
        } else if let command = text(.emperorOnDemandExec) {
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
