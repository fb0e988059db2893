extension OptionRegistry {
    /// The stats server (uWSGI's, for uwsgitop) and the Prometheus endpoint (a Liege extension).
    static let statsOptions: [OptionSpec] = [
        OptionSpec("stats", aliases: ["stats-server"], type: .address,
                   help: "serve the stats JSON (uWSGI's shape, uwsgitop works) on this address (TCP or unix), one document per connection"),
        OptionSpec("stats-http", type: .bool, help: "the stats server speaks HTTP: reads the request, answers with an HTTP/1.0 200 and JSON"),
        OptionSpec("stats-minified", type: .bool, help: "stats JSON without whitespace"),
        OptionSpec("metrics", type: .address,
                   help: "Liege extension: serve Prometheus metrics (text format 0.0.4) at `GET /metrics` on this address (TCP or unix)"),
    ]
}

// The typed keys of these options.
extension Option where Value == String? {
    public static var stats: Self { .init(optional: "stats") }
    public static var metrics: Self { .init(optional: "metrics") }
}

extension Option where Value == Bool {
    public static var statsHTTP: Self { .init("stats-http") }
    public static var statsMinified: Self { .init("stats-minified") }
}
