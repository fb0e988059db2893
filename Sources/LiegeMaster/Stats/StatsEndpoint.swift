import LiegeConfig

/// One observability endpoint a config asks the master for: `stats` (JSON, SPEC.md §7) or `metrics`
/// (Prometheus, a Liege extension), with how it answers. Two equal endpoints need no rebinding.
struct StatsEndpoint: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case stats, metrics
    }

    var kind: Kind
    var address: String
    /// `stats-http`; `metrics` always speaks HTTP.
    var http: Bool
    /// `stats-minified`.
    var minified: Bool

    /// The endpoints `config` configures, `stats` first (possibly none).
    static func configured(in config: Config) -> [StatsEndpoint] {
        Kind.allCases.compactMap { kind in
            guard let address = config.string(kind.rawValue), !address.isEmpty else { return nil }
            switch kind {
            case .stats:
                return StatsEndpoint(kind: kind, address: address, http: config.bool("stats-http"),
                                     minified: config.bool("stats-minified"))
            case .metrics:
                return StatsEndpoint(kind: kind, address: address, http: true, minified: false)
            }
        }
    }
}
