import LiegeConfig
import LiegeSystem

/// The master's observability endpoints: `stats` (JSON, SPEC.md §7) and `metrics` (Prometheus, a Liege
/// extension). Each runs a `DocumentServer` on its own queue; a request reads the scoreboard and the kernel
/// and asks the master's loop for its state, so nothing is computed between requests.
final class StatsService: Sendable {
    private let servers: [DocumentServer]

    /// A stats or metrics address that cannot be bound: a failed start.
    struct Failure: Error {
        var message: String
    }

    /// Starts what `config` asks for (possibly nothing).
    static func start(config: Config, source: MasterStateSource, log: Logger) throws(Failure) -> StatsService {
        let cwd = ProcessFacts.current.workingDirectory
        let name = config.name
        let snapshot: @Sendable () -> StatsSnapshot = {
            StatsSnapshot.take(state: source.masterState(), version: LiegeVersion.string, cwd: cwd)
        }
        var servers: [DocumentServer] = []
        do {
            if let text = address(config, "stats") {
                let minified = config.bool("stats-minified")
                let server = try bind(text, option: "stats", style: config.bool("stats-http") ? .http : .raw) { _ in
                    DocumentServer.Response(contentType: "application/json", body: StatsDocument.render(snapshot(), minified: minified))
                }
                servers.append(server)
                log.info("stats server on \(server.socket.localAddressDescription)")
            }
            if let text = address(config, "metrics") {
                let server = try bind(text, option: "metrics", style: .http) { request in
                    PrometheusText.response(for: request) { MasterMetrics.render(snapshot(), app: name) }
                }
                servers.append(server)
                log.info("metrics on http://\(server.socket.localAddressDescription)/metrics")
            }
        } catch {
            servers.forEach { $0.stop() }
            throw error
        }
        return StatsService(servers: servers)
    }

    private init(servers: [DocumentServer]) {
        self.servers = servers
    }

    /// Closes the endpoints (and removes their unix socket files).
    func stop() {
        servers.forEach { $0.stop() }
    }

    private static func address(_ config: Config, _ option: String) -> String? {
        config.string(option).flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func bind(_ text: String, option: String, style: DocumentServer.Style,
                             respond: @escaping @Sendable (DocumentServer.Request) -> DocumentServer.Response) throws(Failure) -> DocumentServer {
        guard let address = ListenAddress(parsing: text) else { throw Failure(message: "invalid \(option) address \"\(text)\"") }
        do {
            return try DocumentServer.start(address, style: style, label: "liege.master.\(option)", respond: respond)
        } catch {
            throw Failure(message: "cannot bind \(option) \(text): \(error)")
        }
    }
}
