extension OptionRegistry {
    /// What the `uwsgi` Python module gives apps: the shared caches, the user locks and the spooler
    /// (docs/uwsgi-api.md).
    static let uwsgiAPIOptions: [OptionSpec] = [
        OptionSpec("cache2", type: .string, repeatable: true,
                   help: "`name=NAME,items=N[,blocksize=B,keysize=K,store=PATH,purge_lru=1,no_expire=1,clear_on_full=1,math_initial=N]`: "
                       + "a cache shared by the workers (`uwsgi.cache_get` and friends); the first is the default one",
                   parser: OptionParser { value in
                       CacheLine.parse(value).mapError { ValueError("invalid cache2 \(Quoted.text(value)): \($0.message)") }
                   }),
        OptionSpec("locks", type: .int, default: "1", help: "how many user locks `uwsgi.lock(N)` has (0 to N-1)", range: 1...64),
        OptionSpec("spooler", type: .path, repeatable: true,
                   help: "run a spooler on this directory (made when missing): tasks queued with `uwsgi.spool()` are files "
                       + "there, run by spooler processes through `uwsgi.spooler`; they survive reloads and restarts"),
        OptionSpec("spooler-import", type: .string, repeatable: true,
                   help: "a module (or a .py file) the spooler processes import after the app, e.g. the one that sets `uwsgi.spooler`"),
        OptionSpec("spooler-chdir", type: .path, help: "directory the spooler enters before each task (default: the spooler directory)"),
        OptionSpec("spooler-processes", type: .int, default: "1", help: "spooler processes per spooler directory", range: 1...64),
        OptionSpec("spooler-frequency", type: .seconds, default: "30",
                   help: "seconds between two scans of a spooler directory (a new task is seen at once)", range: 1...86400),
        OptionSpec("spooler-quiet", type: .bool, help: "no log line per spooler task"),
        OptionSpec("spooler-max-tasks", type: .int, default: "0", help: "recycle a spooler process after this many tasks (0: never)"),
        OptionSpec("spooler-harakiri", type: .seconds, default: "0",
                   help: "kill a spooler process stuck on one task this long (the task stays queued; 0: off)"),
        OptionSpec("spooler-ordered", type: .bool,
                   help: "accepted: always so; tasks run in the order of their file names, `priority` subdirectories first"),
    ]

    /// `spooler-import` and the spooler tuning need a `spooler` to act on.
    static let uwsgiAPIRelations: @Sendable ([ConfigEntry]) -> [(option: String, message: String)] = { entries in
        guard !entries.contains(where: { $0.key == "spooler" }) else { return [] }
        return ["spooler-import", "spooler-chdir", "spooler-processes", "spooler-harakiri", "spooler-max-tasks"].compactMap { name in
            entries.contains { $0.key == name } ? (name, "\"\(name)\" needs a spooler directory (\"spooler = DIR\")") : nil
        }
    }
}

// The typed keys of these options.
extension Option where Value == [CacheLine] {
    /// The caches, the first the default one.
    public static var caches: Self { .init(list: "cache2") }
}

extension Option where Value == Int {
    public static var locks: Self { .init("locks") }
    public static var spoolerProcesses: Self { .init("spooler-processes") }
    /// Seconds.
    public static var spoolerFrequency: Self { .init("spooler-frequency") }
    public static var spoolerMaxTasks: Self { .init("spooler-max-tasks") }
    /// Seconds (0: off).
    public static var spoolerHarakiri: Self { .init("spooler-harakiri") }
}

extension Option where Value == [String] {
    public static var spoolers: Self { .init(list: "spooler") }
    public static var spoolerImports: Self { .init(list: "spooler-import") }
}

extension Option where Value == String? {
    public static var spoolerChdir: Self { .init(optional: "spooler-chdir") }
}

extension Option where Value == Bool {
    public static var spoolerQuiet: Self { .init("spooler-quiet") }
}
