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
        processes = max(1, config[.processes])
        threads = max(1, config[.threads])
        bufferSize = max(1024, config[.bufferSize] == 0 ? 65535 : config[.bufferSize])
        caches = config[.caches]
        locks = max(1, config[.locks])
        spooler = SpoolerSettings(
            directories: config[.spoolers], imports: config[.spoolerImports],
            chdir: config[.spoolerChdir], processes: max(1, config[.spoolerProcesses]),
            frequencySeconds: max(1, config[.spoolerFrequency]), quiet: config[.spoolerQuiet],
            maxTasks: max(0, config[.spoolerMaxTasks]), harakiriSeconds: max(0, config[.spoolerHarakiri]))
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
