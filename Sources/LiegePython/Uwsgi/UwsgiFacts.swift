/// What the `uwsgi` module of this process knows from the start (the worker side fills it in from the config
/// and the master's environment before Python starts): `uwsgi.opt`, `numproc`, `masterpid()`, ...
public struct UwsgiFacts: Sendable {
    /// Which kind of Liege process this is.
    public enum Role: Sendable, Equatable {
        case worker
        /// `lazy-apps = false`: imports the app, then forks workers (which become `.worker`).
        case preloader
        /// Spooler process `id` (1...).
        case spooler(id: Int)
    }

    /// Every option as set, in order (`uwsgi.opt`: repeated ones become a list).
    public var options: [(key: String, value: String)]
    public var processes: Int
    public var threads: Int
    public var bufferSize: Int
    public var masterPID: Int32
    /// When the master started (epoch seconds): `uwsgi.started_on`.
    public var startedOn: Int
    /// The spooler directories, absolute, in config order.
    public var spoolers: [String]
    public var hostname: String
    public var version: String
    public var role: Role

    public init(options: [(key: String, value: String)], processes: Int, threads: Int, bufferSize: Int, masterPID: Int32,
                startedOn: Int, spoolers: [String], hostname: String, version: String, role: Role) {
        self.options = options
        self.processes = processes
        self.threads = threads
        self.bufferSize = bufferSize
        self.masterPID = masterPID
        self.startedOn = startedOn
        self.spoolers = spoolers
        self.hostname = hostname
        self.version = version
        self.role = role
    }
}

/// What the `uwsgi` module reaches outside Python: the vassal's shared caches and locks, the scoreboard and,
/// in a spooler, the wait for new tasks. The worker side implements it over LiegeSystem; every call is made
/// with the GIL released and may block.
public protocol UwsgiServices: AnyObject, Sendable {
    /// The cache called `name`, or the first `cache2` for nil; nil when there is no such cache.
    func cache(named name: String?) -> UwsgiCache?
    /// Takes user lock `index`; false when there is no such lock.
    func lock(_ index: Int) -> Bool
    /// Releases user lock `index`; false when there is no such lock or this thread does not hold it.
    func unlock(_ index: Int) -> Bool
    /// Whether user lock `index` is held now; nil when there is no such lock.
    func isLocked(_ index: Int) -> Bool?
    /// Requests answered by the vassal's current workers.
    func totalRequests() -> Int
    /// The lowest-numbered worker that is serving now (0: none).
    func firstServingWorker() -> Int
    /// Spooler: waits up to `milliseconds` for a new task file or a stop request; true means stop.
    func waitForTasks(milliseconds: Int) -> Bool
}

/// One shared cache, as the `uwsgi` module uses it (uWSGI's semantics: see SharedCache).
public protocol UwsgiCache: AnyObject, Sendable {
    func get(_ key: UnsafeRawBufferPointer) -> [UInt8]?
    func exists(_ key: UnsafeRawBufferPointer) -> Bool
    func set(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, expires: Int64, update: Bool) -> Bool
    func updateNumber(_ key: UnsafeRawBufferPointer, expires: Int64, _ operation: (Int64) -> Int64?) -> Bool
    func delete(_ key: UnsafeRawBufferPointer) -> Bool
    func clear()
    func keys() -> [[UInt8]]
}
