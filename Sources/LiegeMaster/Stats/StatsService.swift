import LiegeConfig
import LiegeSystem

/// The master's observability endpoints: `stats` (JSON, SPEC.md §7) and `metrics` (Prometheus, a Liege
/// extension). Each runs a `DocumentServer` on its own queue; a request reads the scoreboard and the kernel
/// and asks the master's loop for its state, so nothing is computed between requests.
///
/// Started before the master's loop runs, changed by it at a reload (`update`), stopped after it ends:
/// never touched from two threads at once.
final class StatsService {
    private typealias Entry = (endpoint: StatsEndpoint, server: DocumentServer)
    private var servers: [StatsEndpoint.Kind: Entry] = [:]
    private let snapshot: @Sendable () -> StatsSnapshot
    private let readiness: @Sendable () -> Readiness
    private let name: String

    /// A stats or metrics address that cannot be bound: a failed start.
    struct Failure: Error {
        var message: String
    }

    private init(name: String, source: MasterStateSource) {
        let cwd = ProcessFacts.current.workingDirectory
        self.name = name
        snapshot = { StatsSnapshot.take(state: source.masterState(), version: LiegeVersion.string, cwd: cwd) }
        readiness = { source.readiness() }
    }

    /// Starts what the config asks for (possibly nothing); a bind failure stops the start.
    static func start(_ endpoints: [StatsEndpoint], name: String, source: MasterStateSource,
                      log: Logger) throws(Failure) -> StatsService {
        let service = StatsService(name: name, source: source)
        for endpoint in endpoints {
            do {
                try service.open(endpoint, log: log)
            } catch {
                service.stop()
                throw error
            }
        }
        return service
    }

    /// A reload re-read the config: an endpoint that changed is bound anew, then the old one closed; one
    /// that cannot be bound is logged and the old one keeps serving (only a change of `stats-http` or
    /// `stats-minified` on the same address has to close the old one first).
    func update(to endpoints: [StatsEndpoint], log: Logger) {
        for kind in StatsEndpoint.Kind.allCases {
            let wanted = endpoints.first { $0.kind == kind }
            guard servers[kind]?.endpoint != wanted else { continue }
            if let old = servers[kind], wanted == nil || wanted?.address == old.endpoint.address {
                servers[kind] = nil
                retire(old, log: log)
            }
            guard let wanted else { continue }
            let old = servers[kind]
            do {
                try open(wanted, log: log)
            } catch {
                log.error("reload: \(error.message)" + (old.map { "; \($0.endpoint.address) keeps serving" } ?? ""))
                continue
            }
            if let old { retire(old, log: log) }
        }
    }

    private func retire(_ old: Entry, log: Logger) {
        old.server.stop()
        log.info("reload: \(old.endpoint.kind.rawValue) on \(old.endpoint.address) closed")
    }

    /// Closes the endpoints (and removes their unix socket files).
    func stop() {
        servers.values.forEach { $0.server.stop() }
        servers.removeAll()
    }

    private func open(_ endpoint: StatsEndpoint, log: Logger) throws(Failure) {
        let option = endpoint.kind.rawValue
        guard let address = ListenAddress(parsing: endpoint.address) else {
            throw Failure(message: "invalid \(option) address \"\(endpoint.address)\"")
        }
        let server: DocumentServer
        do {
            server = try DocumentServer.start(address, style: endpoint.http ? .http : .raw, label: "liege.master.\(option)",
                                              respond: responder(endpoint))
        } catch {
            throw Failure(message: "cannot bind \(option) \(endpoint.address): \(error)")
        }
        servers[endpoint.kind] = (endpoint, server)
        switch endpoint.kind {
        case .stats: log.info("stats server on \(server.socket.localAddressDescription)")
        case .metrics: log.info("metrics on http://\(server.socket.localAddressDescription)/metrics, readiness at /ready")
        }
    }

    private func responder(_ endpoint: StatsEndpoint) -> @Sendable (DocumentServer.Request) -> DocumentServer.Response {
        let snapshot = snapshot
        switch endpoint.kind {
        case .stats:
            let minified = endpoint.minified
            return { _ in
                DocumentServer.Response(contentType: "application/json", body: StatsDocument.render(snapshot(), minified: minified))
            }
        case .metrics:
            let name = name
            let readiness = readiness
            return { request in
                if request.path == "/ready" { return readiness().response }
                return PrometheusText.response(for: request) { MasterMetrics.render(snapshot(), app: name) }
            }
        }
    }
}
