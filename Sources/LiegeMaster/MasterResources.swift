import LiegeConfig
import LiegeSystem

/// What the master opens before it spawns anyone and holds for its whole life: the log file, the
/// listening sockets, the pidfile, the scoreboard and the config text for workers.
/// `open` either returns all of it or leaves nothing behind (SPEC.md §0: a failed start leaves no trace).
final class MasterResources: @unchecked Sendable {
    struct Bound {
        var protocolName: String
        var socket: ListeningSocket
    }

    private(set) var sockets: [Bound] = []
    private(set) var scoreboard: Scoreboard?
    private(set) var configFD: Int32 = -1
    private var pidfile: String?

    /// A start-up failure, already phrased for the log.
    struct Failure: Error {
        var message: String
    }

    static func open(_ settings: MasterSettings, config: Config, log: Logger) throws(Failure) -> MasterResources {
        let resources = MasterResources()
        do {
            try resources.openAll(settings, config: config, log: log)
        } catch {
            resources.close(vacuum: true)
            throw error
        }
        return resources
    }

    private func openAll(_ settings: MasterSettings, config: Config, log: Logger) throws(Failure) {
        if let path = settings.logto {
            do { try Posix.openLogFile(path) } catch { throw Failure(message: "cannot open logto \(path): \(error)") }
        }
        guard !settings.listeners.isEmpty else { throw Failure(message: "no socket or http-socket configured") }
        let mode = try settings.chmodSocket.map { (text) throws(Failure) -> Int in
            guard let mode = MasterSettings.socketMode(text) else { throw Failure(message: "invalid chmod-socket \"\(text)\"") }
            return mode
        }
        for listener in settings.listeners {
            guard let address = ListenAddress(parsing: listener.address) else {
                throw Failure(message: "invalid \(listener.protocolName == "http" ? "http-socket" : "socket") address \"\(listener.address)\"")
            }
            let socket: ListeningSocket
            do {
                socket = try ListeningSocket.bind(address, backlog: settings.listenBacklog)
            } catch {
                throw Failure(message: "cannot bind \(listener.address): \(error)")
            }
            sockets.append(Bound(protocolName: listener.protocolName, socket: socket))
            log.info("bound to \(socket.localAddressDescription) (fd \(socket.fd))")
            if socket.backlog < settings.listenBacklog {
                log.info("listen queue of \(settings.listenBacklog) clamped to \(socket.backlog) (net.core.somaxconn)")
            }
            do {
                if let mode { try socket.setPermissions(mode) }
                if let owner = settings.chownSocket { try socket.setOwner(owner) }
            } catch {
                throw Failure(message: "cannot set up \(socket.localAddressDescription): \(error)")
            }
        }
        if let path = settings.pidfile {
            do { try Posix.writePidfile(path, pid: Posix.processID) } catch { throw Failure(message: "cannot write pidfile: \(error)") }
            pidfile = path
        }
        do {
            scoreboard = try Scoreboard.create(slots: settings.processes)
            configFD = try Posix.memfd(name: "liege-config", text: config.serialized())
        } catch {
            throw Failure(message: "cannot set up shared memory: \(error)")
        }
    }

    /// Closes everything; with `vacuum`, also removes the unix socket files and the pidfile we made.
    func close(vacuum: Bool) {
        for bound in sockets {
            bound.socket.close()
            if vacuum { bound.socket.removeSocketFile() }
        }
        sockets.removeAll()
        if vacuum, let pidfile { try? Posix.removeFile(pidfile) }
        pidfile = nil
        if configFD >= 0 { Posix.close(configFD) }
        configFD = -1
        if let scoreboard { Posix.close(scoreboard.fd) }
        scoreboard = nil
    }
}
