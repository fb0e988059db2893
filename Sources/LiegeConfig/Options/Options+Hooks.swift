extension OptionRegistry {
    /// The master's hooks, in the order they run at start (uWSGI's phases).
    static let hookPhases: [(name: String, when: String)] = [
        ("asap", "as soon as the master starts, before binding"),
        ("as-root", "before dropping privileges (after binding the sockets)"),
        ("as-user", "right after dropping privileges"),
        ("master-start", "when the master starts, before any worker"),
        ("pre-app", "before the workers load the app (once, in the master)"),
        ("post-app", "once the first worker has loaded the app (once, in the master; a failure is only logged)"),
        ("as-user-atexit", "when the master exits, after its workers (a failure is only logged)"),
    ]

    /// Phases that also have uWSGI's `exec-PHASE` shortcut.
    static let execPhases: Set<String> = ["asap", "as-root", "as-user", "pre-app", "post-app", "as-user-atexit"]

    /// `hook-PHASE = ACTION:ARGS` and the `exec-PHASE = COMMAND` shortcuts.
    static let hookOptions: [OptionSpec] = hookPhases.flatMap { phase in
        let logsFailures = phase.name == "post-app" || phase.name == "as-user-atexit"
        return [
            OptionSpec("hook-\(phase.name)", type: .string, repeatable: true,
                       help: "run `exec:CMD`, `call:FUNCTION [ARG]` or `print:TEXT` \(phase.when)"
                           + (logsFailures ? "" : "; a failing one stops the start")
                           + (phase.name == "master-start" ? "; `unix_signal:15 gracefully_kill_them_all` is accepted (SIGTERM already stops gracefully)" : ""),
                       expansion: .keepsShellVariables, parser: OptionParser(HookLine.parsed)),
            OptionSpec("exec-\(phase.name)", type: .string, repeatable: true,
                       help: "run this shell command \(phase.when) (same as `hook-\(phase.name) = exec:CMD`)",
                       expansion: .keepsShellVariables, parser: OptionParser { .success(HookLine.exec($0)) }),
        ].filter { !$0.name.hasPrefix("exec-") || execPhases.contains(phase.name) }
    }
}

/// A phase of the master's start (and exit) that runs hooks, in the order of `OptionRegistry.hookPhases`.
public enum HookPhase: String, Sendable, CaseIterable {
    case asap, asRoot = "as-root", asUser = "as-user", masterStart = "master-start", preApp = "pre-app", postApp = "post-app"
    case atExit = "as-user-atexit"
}

extension Option where Value == [HookLine] {
    /// `hook-PHASE` and, where the phase has it, `exec-PHASE` (its commands as `.exec` lines): read them
    /// with `Config.inOrder` to keep their relative order.
    public static func hooks(_ phase: HookPhase) -> [Self] {
        [.init(list: "hook-\(phase.rawValue)")]
            + (OptionRegistry.execPhases.contains(phase.rawValue) ? [.init(list: "exec-\(phase.rawValue)")] : [])
    }
}
