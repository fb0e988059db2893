/// What a master and the processes it spawns (workers, the preloader, spooler processes) agree on: the
/// descriptors each child inherits, the environment variables that describe them, and the exit statuses
/// a worker reports with. Both sides use these names, so the contract is written once.
public enum WorkerContract {
    /// fd 3: the master's memfd holding the serialized config.
    public static let configFD: Int32 = 3
    /// fd 4: the scoreboard (shared memory of every slot).
    public static let scoreboardFD: Int32 = 4
    /// fd 5: the lifeline from the master (`q` asks for a graceful stop; end of file: the master is gone);
    /// the preloader's message channel to the master.
    public static let lifelineFD: Int32 = 5
    /// fd 6...: the listening sockets, in `socketsVariable` order; the shared regions follow them.
    public static let firstSocketFD: Int32 = 6

    /// The protocol of each inherited socket, comma-separated (`http,uwsgi`).
    public static let socketsVariable = "LIEGE_SOCKETS"
    /// The descriptors of the shared regions (user locks, caches), comma-separated.
    public static let sharedFDsVariable = "LIEGE_SHARED_FDS"
    public static let masterPIDVariable = "LIEGE_MASTER_PID"
    /// When the master started (seconds since the epoch), for `uwsgi.started_on`.
    public static let startedOnVariable = "LIEGE_STARTED_ON"
    /// `1`: a held worker (a reload's import check) loads the app, reports ready and waits.
    public static let holdVariable = "LIEGE_HOLD"
    /// A spooler process's directory.
    public static let spoolerDirectoryVariable = "LIEGE_SPOOLER_DIR"
    /// Variables of this prefix are Liege's own hand-over, never passed to hooks or daemons.
    public static let emperorVariablePrefix = "LIEGE_"

    /// A worker whose app cannot be imported.
    public static let appNotLoadableExitStatus: Int32 = 22
    /// A worker that aborted a request for harakiri (it already answered 504 and logged).
    public static let harakiriExitStatus: Int32 = 23
    /// A worker whose atexit handlers outran `worker-reload-mercy`.
    public static let exitHandlersTimeoutExitStatus: Int32 = 1
}

/// What the emperor and each vassal's master agree on (SPEC.md §12): the inherited descriptors and the
/// variables that name them.
public enum EmperorContract {
    /// fd 3 of a vassal's master: its link to the emperor (`ready` lines up, `r` for reload down).
    public static let linkFD: Int32 = 3
    /// fd 4 of an on-demand vassal's master: the socket the emperor bound for it.
    public static let onDemandFD: Int32 = 4

    public static let linkVariable = "LIEGE_EMPEROR_FD"
    public static let onDemandFDVariable = "LIEGE_ON_DEMAND_FD"
    public static let onDemandProtocolVariable = "LIEGE_ON_DEMAND_PROTOCOL"
    /// `uid:gid[:user]` a tyrant-mode vassal drops to.
    public static let tyrantVariable = "LIEGE_TYRANT"
    /// Every variable above, which a master removes from its environment once it has read them.
    public static let variables = [linkVariable, onDemandFDVariable, onDemandProtocolVariable]
}
