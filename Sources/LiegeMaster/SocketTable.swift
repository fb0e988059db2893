import LiegeSystem

/// Every listening socket the master holds, by protocol and address text. A reload asks for the sockets
/// of its config: unchanged ones are the same descriptors (their backlog carries connections through the
/// reload); new addresses are bound; ones no generation uses any more are closed afterwards.
final class SocketTable {
    struct Key: Hashable {
        var protocolName: String
        var address: String
    }

    private(set) var sockets: [Key: ListeningSocket] = [:]
    private var order: [Key] = []

    /// A bind failure, phrased for the log.
    struct Failure: Error {
        var message: String
    }

    /// The sockets for `settings`, in listener order, binding the missing ones. On failure nothing new
    /// stays bound.
    func sockets(for settings: MasterSettings, log: Logger) throws(Failure) -> [(key: Key, socket: ListeningSocket)] {
        let mode = settings.chmodSocket
        var result: [(key: Key, socket: ListeningSocket)] = []
        var fresh: [Key] = []
        for listener in settings.listeners {
            let key = Key(protocolName: listener.protocolName, address: listener.address)
            if let existing = sockets[key] {
                result.append((key, existing))
                continue
            }
            do {
                let socket = try bind(listener, settings: settings, mode: mode, log: log)
                sockets[key] = socket
                order.append(key)
                fresh.append(key)
                result.append((key, socket))
            } catch {
                for key in fresh { close(key, vacuum: true) }
                throw error
            }
        }
        return result
    }

    private func bind(_ listener: MasterSettings.Listener, settings: MasterSettings, mode: Int?, log: Logger) throws(Failure) -> ListeningSocket {
        guard let address = ListenAddress(parsing: listener.address) else {
            throw Failure(message: "invalid \(listener.protocolName == "http" ? "http-socket" : "socket") address \"\(listener.address)\"")
        }
        let socket: ListeningSocket
        do {
            socket = try ListeningSocket.bind(address, backlog: settings.listenBacklog)
        } catch {
            throw Failure(message: "cannot bind \(listener.address): \(error)")
        }
        log.info("bound to \(socket.localAddressDescription) (fd \(socket.fd))")
        if socket.backlog < settings.listenBacklog {
            log.info("listen queue of \(settings.listenBacklog) clamped to \(socket.backlog) (net.core.somaxconn)")
        }
        do {
            if let mode { try socket.setPermissions(mode) }
            if let owner = settings.chownSocket { try socket.setOwner(owner) }
        } catch {
            socket.close()
            socket.removeSocketFile()
            throw Failure(message: "cannot set up \(socket.localAddressDescription): \(error)")
        }
        return socket
    }

    /// Closes every socket not in `keep` (a reload dropped or changed its address).
    func closeAll(except keep: Set<Key>, log: Logger) {
        for key in order where !keep.contains(key) {
            if let socket = sockets[key] { log.info("closing \(socket.localAddressDescription): no longer configured") }
            close(key, vacuum: true)
        }
    }

    /// Closes everything; with `vacuum`, removes the unix socket files we made.
    func closeAll(vacuum: Bool) {
        for key in order { close(key, vacuum: vacuum) }
    }

    private func close(_ key: Key, vacuum: Bool) {
        guard let socket = sockets.removeValue(forKey: key) else { return }
        order.removeAll { $0 == key }
        socket.close()
        if vacuum { socket.removeSocketFile() }
    }
}
