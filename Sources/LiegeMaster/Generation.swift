import LiegeConfig
import LiegeSystem

/// One config's worth of what workers are spawned from: the config (and its memfd for fd 3), its
/// settings, a scoreboard of its own (so a new worker and the old one of the same slot each have a
/// slot with a single writer), the sockets in fd order and the environment. A reload makes a new
/// generation; an old one is closed when its last worker is gone.
final class Generation {
    let number: Int
    let config: Config
    let settings: MasterSettings
    let scoreboard: Scoreboard
    let configFD: Int32
    let sockets: [(key: SocketTable.Key, socket: ListeningSocket)]
    let environment: [String]
    /// The user locks and caches of the `uwsgi` module (kept from `previous` where unchanged).
    let shared: SharedRegions
    private(set) var isClosed = false

    init(number: Int, config: Config, settings: MasterSettings, sockets: [(key: SocketTable.Key, socket: ListeningSocket)],
         baseEnvironment: [String: String], previous: Generation? = nil) throws(SystemError) {
        self.number = number
        self.config = config
        self.settings = settings
        self.sockets = sockets
        shared = try SharedRegions.make(UwsgiAPISettings(config), previous: previous?.shared)
        scoreboard = try Scoreboard.create(slots: settings.processes)
        do {
            configFD = try Posix.memfd(name: "liege-config", text: config.serialized())
        } catch {
            Posix.close(scoreboard.fd)
            throw error
        }
        environment = Processes.environmentStrings(settings.workerEnvironment(base: baseEnvironment))
    }

    var socketKeys: Set<SocketTable.Key> { Set(sockets.map(\.key)) }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Posix.close(configFD)
        Posix.close(scoreboard.fd)
    }
}
