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
            switch kind {
            case .stats:
                config[.stats].map { StatsEndpoint(kind: kind, address: $0, http: config[.statsHTTP], minified: config[.statsMinified]) }
            case .metrics:
                config[.metrics].map { StatsEndpoint(kind: kind, address: $0, http: true, minified: false) }
            }
        }
    }
}
