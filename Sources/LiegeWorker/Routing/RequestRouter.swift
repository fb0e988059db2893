import LiegeConfig

/// A worker loop's routing: the compiled table, and the file server its `static:` actions use.
final class RequestRouter {
    let engine: RouteEngine
    /// Only when some rule has `static:`.
    let files: StaticFileServer?

    /// Nil when the config has no routing rules.
    init?(options: ServingOptions, log: @escaping (String) -> Void) {
        guard let engine = RouteEngine(table: options.routes, files: SystemRouteFiles()) else { return nil }
        self.engine = engine
        let servesFiles = options.routes.rules.contains { rule in
            if case .serveFile? = rule.action { return true }
            return false
        }
        files = servesFiles ? StaticFileServer(settings: options.staticFiles, forRouting: true, log: log) : nil
    }
}
