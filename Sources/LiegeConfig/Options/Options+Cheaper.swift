extension OptionRegistry {
    /// Scale to zero and adaptive worker counts (SPEC.md §8).
    static let cheaperOptions: [OptionSpec] = [
        OptionSpec("cheap", type: .bool,
                   help: "start with no worker: the master polls its sockets and spawns workers on the first connection"),
        OptionSpec("idle", type: .seconds, default: "0",
                   help: "after this long without a request, stop the workers and go cheap (0: off)"),
        OptionSpec("die-on-idle", type: .bool, help: "with idle: exit 0 instead of going cheap"),
        OptionSpec("cheaper", type: .int, default: "0",
                   help: "adaptive workers: never fewer than this many (0: off; must be lower than processes)", range: 0...4095),
        OptionSpec("cheaper-initial", type: .int,
                   help: "adaptive workers: how many to start with (default: cheaper; between cheaper and processes)",
                   range: 0...4096),
        OptionSpec("cheaper-step", type: .int, default: "1", help: "adaptive workers: how many to add at a time", range: 1...4096),
        OptionSpec("cheaper-overload", type: .int, default: "3",
                   help: "adaptive workers: samples (seconds) of overload or idleness before acting; backlog: the queue length",
                   range: 1...100_000),
        OptionSpec("cheaper-algo", type: .string, default: "spare", help: "adaptive workers: spare, backlog or manual",
                   parser: OptionParser { value in
                       CheaperAlgorithm(rawValue: value).map { .success($0) }
                           ?? .failure(ValueError("must be one of spare, backlog, manual, got \(Quoted.text(value))"))
                   }),
    ]

    /// The checks that relate `cheaper` to `processes` and `cheaper-initial` (SPEC.md §8): each problem
    /// names the option whose last entry it is reported at.
    static func cheaperRelations(_ entries: [ConfigEntry]) -> [(option: String, message: String)] {
        func last(_ key: String) -> Int? { entries.last { $0.key == key }.flatMap { Int($0.value) } }
        let processes = last("processes") ?? 1
        let cheaper = last("cheaper") ?? 0
        guard cheaper > 0 else { return [] }
        guard cheaper < processes else {
            return [("cheaper", "cheaper must be lower than processes (cheaper \(cheaper), processes \(processes))")]
        }
        if let initial = last("cheaper-initial"), initial < cheaper || initial > processes {
            return [("cheaper-initial", "cheaper-initial must be between cheaper and processes (\(cheaper)...\(processes)), got \(initial)")]
        }
        return []
    }
}

/// How the adaptive worker count is decided (SPEC.md §8 `cheaper-algo`).
public enum CheaperAlgorithm: String, Sendable, Equatable, CaseIterable {
    /// Grow when every worker is busy, shrink when more than one idles (the default).
    case spare
    /// Grow while connections wait in the kernel's accept queue.
    case backlog
    /// Only the master FIFO's `+` and `-` change the count.
    case manual
}

// The typed keys of these options.
extension Option where Value == Bool {
    public static var cheap: Self { .init("cheap") }
    public static var dieOnIdle: Self { .init("die-on-idle") }
}

extension Option where Value == Int {
    /// Seconds without a request before going cheap (0: off).
    public static var idle: Self { .init("idle") }
    public static var cheaper: Self { .init("cheaper") }
    public static var cheaperStep: Self { .init("cheaper-step") }
    public static var cheaperOverload: Self { .init("cheaper-overload") }
}

extension Option where Value == Int? {
    public static var cheaperInitial: Self { .init(optional: "cheaper-initial") }
}

extension Option where Value == CheaperAlgorithm {
    public static var cheaperAlgorithm: Self { .init("cheaper-algo") }
}
