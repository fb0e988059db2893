/// Process titles (`ps -o args`), SPEC.md §0, shaped by uWSGI's `procname`, `procname-prefix` and
/// `procname-prefix-spaced`: `liege master shop` by default, `PREFIX` before every title, and `procname`
/// replacing the role's name (`procname = shop` gives `shop master`, `shop worker 1`).
public struct ProcessTitles: Sendable, Equatable {
    public var prefix: String
    public var base: String?

    public init(_ config: Config) {
        var prefix = config.string("procname-prefix") ?? ""
        if let spaced = config.string("procname-prefix-spaced") { prefix = spaced + " " }
        self.prefix = prefix
        base = config.string("procname").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The master's title.
    public func master(name: String) -> String {
        prefix + (base.map { "\($0) master" } ?? "liege master \(name)")
    }

    /// Worker `id`'s title.
    public func worker(id: Int, name: String) -> String {
        prefix + (base.map { "\($0) worker \(id)" } ?? "liege worker \(id) \(name)")
    }
}
