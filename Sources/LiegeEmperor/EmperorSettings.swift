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
