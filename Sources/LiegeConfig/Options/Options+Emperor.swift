extension OptionRegistry {
    /// The emperor: vassal directories, back-off, shared vassal options, tyrant mode, on demand (SPEC.md §12).
    static let emperorOptions: [OptionSpec] = [
        OptionSpec("emperor", type: .path, repeatable: true,
                   help: "run the emperor on this vassals directory (or glob such as /etc/liege/vassals/*.ini)"),
        OptionSpec("emperor-freq", type: .seconds, default: "3", help: "full rescan of the vassal directories this often (safety net)",
                   range: 1...3600),
        OptionSpec("emperor-throttle", type: .milliseconds, default: "1000",
                   help: "first respawn delay of a failing vassal (doubles per failure)", range: 0...86_400_000),
        OptionSpec("emperor-max-throttle", type: .milliseconds, default: "180000",
                   help: "longest respawn delay of a failing vassal", range: 0...86_400_000),
        OptionSpec("emperor-curse-tolerance", aliases: ["emperor-mercy"], type: .seconds, default: "30",
                   help: "time a stopping vassal gets before SIGKILL of its process group"),
        OptionSpec("emperor-nofollow", type: .bool, help: "compare symlinked vassal files by the link itself, not its target"),
        OptionSpec("emperor-tyrant", type: .bool, help: "run each vassal as the owner of its file (root-owned files refused)"),
        OptionSpec("emperor-tyrant-initgroups", type: .bool, help: "in tyrant mode also give vassals their owner's groups"),
        OptionSpec("emperor-stats", aliases: ["emperor-stats-server"], type: .address,
                   help: "serve the emperor's JSON status on this address"),
        OptionSpec("emperor-pidfile", type: .path, help: "write the emperor's PID here"),
        OptionSpec("vassal-set", aliases: ["vassals-set"], type: .keyValue, repeatable: true,
                   help: "set option k to v in every vassal (before its file: a default)"),
        OptionSpec("vassals-include", type: .path, repeatable: true, help: "include this config in every vassal, after its file"),
        OptionSpec("vassals-include-before", type: .path, repeatable: true,
                   help: "include this config in every vassal, before its file"),
        OptionSpec("vassals-inherit", type: .path, repeatable: true, help: "inherit this config in every vassal, after its file"),
        OptionSpec("vassals-inherit-before", type: .path, repeatable: true,
                   help: "inherit this config in every vassal, before its file"),
        OptionSpec("emperor-on-demand-directory", aliases: ["emperor-on-demand-dir"], type: .path,
                   help: "bind DIR/NAME.socket for each vassal and start it on its first connection"),
        OptionSpec("emperor-on-demand-extension", aliases: ["emperor-on-demand-ext"], type: .string,
                   help: "on-demand address = first line of the vassal file name + this extension"),
        OptionSpec("emperor-on-demand-exec", type: .string,
                   help: "on-demand address = first output line of this command run with the vassal file",
                   expansion: .keepsShellVariables),
        OptionSpec("emperor-graceful-shutdown", type: .bool, help: "accepted for compatibility; no effect (stops are always graceful)"),
    ]
}

// The typed keys of these options.
extension Option where Value == [String] {
    /// The vassal directories (or globs).
    public static var emperor: Self { .init(list: "emperor") }
    public static var vassalsInclude: Self { .init(list: "vassals-include") }
    public static var vassalsIncludeBefore: Self { .init(list: "vassals-include-before") }
    public static var vassalsInherit: Self { .init(list: "vassals-inherit") }
    public static var vassalsInheritBefore: Self { .init(list: "vassals-inherit-before") }
}

extension Option where Value == Int {
    /// Seconds.
    public static var emperorFrequency: Self { .init("emperor-freq") }
    /// Milliseconds.
    public static var emperorThrottle: Self { .init("emperor-throttle") }
    /// Milliseconds.
    public static var emperorMaxThrottle: Self { .init("emperor-max-throttle") }
    /// Seconds.
    public static var emperorCurseTolerance: Self { .init("emperor-curse-tolerance") }
}

extension Option where Value == Bool {
    public static var emperorNoFollow: Self { .init("emperor-nofollow") }
    public static var emperorTyrant: Self { .init("emperor-tyrant") }
    public static var emperorTyrantInitgroups: Self { .init("emperor-tyrant-initgroups") }
}

extension Option where Value == String? {
    public static var emperorStats: Self { .init(optional: "emperor-stats") }
    public static var emperorPidfile: Self { .init(optional: "emperor-pidfile") }
    public static var emperorOnDemandDirectory: Self { .init(optional: "emperor-on-demand-directory") }
    public static var emperorOnDemandExtension: Self { .init(optional: "emperor-on-demand-extension") }
    public static var emperorOnDemandExec: Self { .init(optional: "emperor-on-demand-exec") }
}

extension Option where Value == [KeyValue] {
    public static var vassalSet: Self { .init(list: "vassal-set") }
}
