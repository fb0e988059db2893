/// The options of the `uwsgi` module's services, read once into typed values (the master makes the caches
/// and runs the spoolers from them; the worker side tells the module about them).
public struct UwsgiAPISettings: Sendable, Equatable {
    public var caches: [CacheLine]
    /// `locks`: how many user locks.
    public var locks: Int
    public var spooler: SpoolerSettings
    /// `uwsgi.numproc`, `uwsgi.cores`, `uwsgi.buffer_size`.
    public var processes: Int
    public var threads: Int
    public var bufferSize: Int

    public init(_ config: Config) {
        processes = max(1, config.int("processes"))
        threads = max(1, config.int("threads"))
        bufferSize = max(1024, config.int("buffer-size") == 0 ? 65535 : config.int("buffer-size"))
        caches = config.list("cache2").compactMap { try? CacheLine.parse($0).get() }
        locks = max(1, config.int("locks"))
        spooler = SpoolerSettings(
            directories: config.list("spooler"), imports: config.list("spooler-import"),
            chdir: config.string("spooler-chdir"), processes: max(1, config.int("spooler-processes")),
            frequencySeconds: max(1, config.int("spooler-frequency")), quiet: config.bool("spooler-quiet"),
            maxTasks: max(0, config.int("spooler-max-tasks")), harakiriSeconds: max(0, config.int("spooler-harakiri")))
    }
}

/// `spooler` and the `spooler-*` options.
public struct SpoolerSettings: Sendable, Equatable {
    /// The directories as written (relative ones are taken from the master's working directory: `resolved`).
    public var directories: [String]
    public var imports: [String]
    public var chdir: String?
    /// Processes per directory.
    public var processes: Int
    public var frequencySeconds: Int
    public var quiet: Bool
    public var maxTasks: Int
    public var harakiriSeconds: Int

    public init(directories: [String], imports: [String], chdir: String?, processes: Int, frequencySeconds: Int,
                quiet: Bool, maxTasks: Int, harakiriSeconds: Int) {
        self.directories = directories
        self.imports = imports
        self.chdir = chdir
        self.processes = processes
        self.frequencySeconds = frequencySeconds
        self.quiet = quiet
        self.maxTasks = maxTasks
        self.harakiriSeconds = harakiriSeconds
    }

    /// The directories made absolute against `workingDirectory` (the master's), without repeats.
    public func resolved(against workingDirectory: String) -> [String] {
        var seen: [String] = []
        for directory in directories {
            let absolute = PathText.absolute(directory, relativeTo: workingDirectory)
            if !seen.contains(absolute) { seen.append(absolute) }
        }
        return seen
    }
}
