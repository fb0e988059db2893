extension OptionRegistry {
    /// Processes the master runs beside the workers (SPEC.md §9). Their commands keep `$(...)` for the shell.
    static let daemonOptions: [OptionSpec] = [
        daemonOption("attach-daemon", help: "run this command beside the app; restarted when it exits, stopped with the app"),
        daemonOption("smart-attach-daemon",
                     help: "`PIDFILE[,N] COMMAND`: the command daemonizes itself and writes PIDFILE; restarted when that pid dies; survives reloads and stops"),
        daemonOption("smart-attach-daemon2",
                     help: "`PIDFILE[,N] COMMAND`: like smart-attach-daemon for a foreground command that Liege detaches, writing PIDFILE"),
        daemonOption("attach-daemon2",
                     help: "`key=value,...`: cmd, pidfile, daemonize, freq, control, stopsignal, reloadsignal, touch, stdin, uid, gid, chdir, max_throttle, notifypid"),
    ]

    private static func daemonOption(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, type: .string, repeatable: true, help: help, expansion: .keepsShellVariables,
                   parser: OptionParser { value in
                       DaemonLine.parse(option: name, value: value).mapError { ValueError("invalid \(name) \(Quoted.text(value)): \($0.message)") }
                   })
    }
}

// The typed keys of these options.
extension Option where Value == [DaemonLine] {
    public static var attachDaemon: Self { .init(list: "attach-daemon") }
    public static var smartAttachDaemon: Self { .init(list: "smart-attach-daemon") }
    public static var smartAttachDaemon2: Self { .init(list: "smart-attach-daemon2") }
    public static var attachDaemon2: Self { .init(list: "attach-daemon2") }
}
