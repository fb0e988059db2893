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
                       expansion: .keepsShellVariables,
                       check: { value in
                           if case .failure(let problem) = HookLine.parsed(value) { return problem.message }
                           return nil
                       }),
            OptionSpec("exec-\(phase.name)", type: .string, repeatable: true,
                       help: "run this shell command \(phase.when) (same as `hook-\(phase.name) = exec:CMD`)",
                       expansion: .keepsShellVariables),
        ].filter { !$0.name.hasPrefix("exec-") || execPhases.contains(phase.name) }
    }
}
