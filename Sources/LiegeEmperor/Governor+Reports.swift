import Dispatch
import LiegeSystem

/// What the emperor tells people and systemd: USR1 status lines, the stats JSON, sd_notify.
extension Governor {
    func logStatus() {
        log.info("status: \(vassals.count) vassals, \(vassals.values.filter { $0.state == .running }.count) running")
        for name in vassals.keys.sorted() {
            guard let record = vassals[name] else { continue }
            var line = "status: vassal \(record.name) (\(record.file.path)) \(record.state.rawValue)"
            line += ", pid \(record.pid.map(String.init) ?? "-"), spawns \(record.spawns)"
            if !record.lastExit.isEmpty { line += ", last exit: \(record.lastExit)" }
            if !record.error.isEmpty { line += ", error: \(record.error.split(separator: "\n").first ?? "")" }
            log.info(line)
        }
    }

    /// `READY=1` once every vassal found at start-up is ready or failed (at most 30 s), and a STATUS
    /// line whenever the counts change.
    func reportReadiness() {
        guard phase == .running else { return }
        let ready = vassals.values.filter { $0.state == .running || $0.state == .reloading }.count
        let status = "STATUS=governing \(vassals.count) vassals (\(ready) ready)"
        let starting = vassals.values.contains { $0.state == .starting }
        let elapsed = monotonicMicroseconds() - startedAt
        if !readyNotified, !starting || elapsed >= Int64(Self.readinessLimitSeconds) * 1_000_000 {
            readyNotified = true
            notifier.notify("READY=1\n\(status)\nMAINPID=\(Posix.processID)")
            lastStatus = status
            log.info("emperor ready: \(status.dropFirst(7))")
        } else if readyNotified, status != lastStatus {
            notifier.notify(status)
            lastStatus = status
        }
    }

    func startStatsServer() {
        guard let text = settings.statsAddress else { return }
        guard let address = ListenAddress(parsing: text) else {
            log.error("invalid emperor-stats address \(text)")
            return
        }
        do {
            let socket = try ListeningSocket.bind(address, backlog: 64)
            statsSocket = socket
            let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
            source.setEventHandler { [self] in serveStats(socket.fd) }
            source.setCancelHandler { socket.close() }
            source.resume()
            statsSource = source
            log.info("emperor stats on \(socket.localAddressDescription)")
        } catch {
            log.error("cannot bind emperor-stats \(text): \(error)")
        }
    }

    /// `metrics = ADDR`: vassals by state, restarts and back-off as Prometheus text, read on the emperor's
    /// queue for each scrape (the server answers on a queue of its own).
    func startMetricsServer() {
        guard let text = settings.metricsAddress else { return }
        guard let address = ListenAddress(parsing: text) else {
            log.error("invalid metrics address \(text)")
            return
        }
        do {
            metricsServer = try DocumentServer.start(address, style: .http, label: "liege.emperor.metrics") { [self] request in
                PrometheusText.response(for: request) {
                    EmperorMetrics.render(queue.sync {
                        vassals.values.map {
                            EmperorMetrics.Vassal(name: $0.name, state: $0.state.rawValue, pid: $0.pid ?? 0,
                                                  restarts: max(0, $0.spawns - 1), failures: $0.failures)
                        }
                    })
                }
            }
            log.info("emperor metrics on \(text)")
        } catch {
            log.error("cannot bind metrics \(text): \(error)")
        }
    }

    private func serveStats(_ fd: Int32) {
        while let connection = try? Connection.accept(fd) {
            let body = Array(statsJSON().utf8)
            _ = try? connection.setTimeouts(seconds: 2)
            body.withUnsafeBytes { _ = try? connection.writeAll($0) }
            connection.close()
        }
    }

    func statsJSON() -> String {
        let user = Posix.effectiveUser
        var json = JSONText()
        json.open("{")
        json.field("version", .string(EmperorInfo.version))
        json.field("pid", .int(Int(Posix.processID)))
        json.field("uid", .int(Int(user.uid)))
        json.field("gid", .int(Int(user.gid)))
        json.field("cwd", .string(Posix.workingDirectory))
        json.field("emperor", .strings(settings.sources.map(\.description)))
        json.field("emperor_tyrant", .int(settings.tyrant ? 1 : 0))
        json.field("throttle_level", .int(vassals.values.map(\.failures).max() ?? 0))
        json.key("vassals")
        json.open("[")
        for name in vassals.keys.sorted() {
            guard let record = vassals[name] else { continue }
            json.open("{")
            json.field("id", .string(record.file.fileName))
            json.field("name", .string(record.name))
            json.field("file", .string(record.file.path))
            json.field("pid", .int(Int(record.pid ?? 0)))
            json.field("born", .int(record.bornWall))
            json.field("last_mod", .int(record.lastModifiedWall))
            json.field("last_reload", .int(record.lastReloadWall))
            json.field("last_exit", .string(record.lastExit))
            json.field("loyal", .int(record.readyAt == nil ? 0 : record.bornWall))
            json.field("ready", .int(record.state == .running || record.state == .reloading ? 1 : 0))
            json.field("accepting", .int(record.state == .running ? 1 : 0))
            json.field("cursed", .int(record.state == .stopping ? 1 : 0))
            json.field("on_demand", .string(record.onDemandSocket?.localAddressDescription ?? ""))
            json.field("uid", .int(Int(record.identity?.uid ?? user.uid)))
            json.field("gid", .int(Int(record.identity?.gid ?? user.gid)))
            json.field("monitor", .string(record.file.directory))
            json.field("respawns", .int(max(0, record.spawns - 1)))
            json.field("spawns", .int(record.spawns))
            json.field("state", .string(record.state.rawValue))
            json.field("error", .string(record.error))
            json.close("}")
        }
        json.close("]")
        json.key("blacklist")
        json.open("[")
        for name in vassals.keys.sorted() where vassals[name]?.state == .backoff || vassals[name]?.state == .invalid {
            guard let record = vassals[name] else { continue }
            json.open("{")
            json.field("id", .string(record.file.fileName))
            json.field("throttle_level", .int(record.failures))
            json.field("attempt", .int(record.failures))
            json.close("}")
        }
        json.close("]")
        json.close("}")
        return json.text + "\n"
    }
}

/// The emperor's version string in stats.
public enum EmperorInfo {
    public static let version = "0.1.0"
}
