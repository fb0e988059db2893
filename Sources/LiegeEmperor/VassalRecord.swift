import LiegeSystem

/// Where a vassal is in its life; the `state` field of `emperor-stats` (SPEC.md §12.6).
public enum VassalState: String, Sendable {
    case starting, running, reloading, stopping, backoff
    case onDemand = "on-demand"
    case invalid
}

/// Everything the emperor remembers about one vassal: its file as last scanned, its master process,
/// its restart history. Owned by the `Governor`'s queue.
struct VassalRecord {
    var file: VassalFile
    var state: VassalState = .starting
    var pid: Int32?
    /// The emperor's end of the link socket (-1 when no master runs).
    var link: Int32 = -1
    var error = ""
    var spawns = 0
    /// Wall-clock seconds: when the running master was born, the file's last change, the last reload.
    var bornWall = 0
    var lastModifiedWall = 0
    var lastReloadWall = 0
    var lastExit = ""
    /// Monotonic µs.
    var spawnedAt: Int64 = 0
    var readyAt: Int64?
    var respawnAt: Int64?
    var reloadRequestedAt: Int64?
    var failures = 0
    var stop: StopProgress?
    var stopSignal = UnixSignal.terminate
    /// The file is gone: forget the vassal once its master has exited.
    var removed = false
    /// Start it again as soon as its master is gone (owner change in tyrant mode).
    var restartAfterStop = false
    /// The validated command line it was last started or reloaded with.
    var arguments: [String] = []
    var identity: (uid: UInt32, gid: UInt32)?
    /// The on-demand listening socket the emperor holds, and the protocol the vassal declares for it.
    var onDemandSocket: ListeningSocket?
    var onDemandProtocol = "uwsgi"

    init(file: VassalFile) {
        self.file = file
    }

    var name: String { file.name }
    var isAlive: Bool { pid != nil }
}
