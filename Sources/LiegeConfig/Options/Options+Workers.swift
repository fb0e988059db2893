import LiegeSystem

extension OptionRegistry {
    /// The master, its workers, recycling and control.
    static let workerOptions: [OptionSpec] = [
        OptionSpec("master", type: .bool, help: "accepted for compatibility; no effect (there is always a master)"),
        OptionSpec("processes", aliases: ["workers"], type: .int, default: "1", help: "number of worker slots",
                   range: 1...4096),
        OptionSpec("die-on-term", type: .bool, help: "accepted for compatibility; no effect (SIGTERM always stops)"),
        OptionSpec("harakiri", type: .seconds, default: "0", help: "kill a worker stuck on one request this long; an ASGI worker: its event loop blocked this long (0: off)"),
        OptionSpec("harakiri-verbose", type: .bool, help: "log more about workers killed by harakiri"),
        OptionSpec("max-requests", type: .int, default: "0", help: "recycle a worker after this many requests (0: off)"),
        OptionSpec("max-requests-delta", type: .int, default: "0", help: "add slot id x delta to max-requests"),
        OptionSpec("reload-on-rss", type: .megabytes, default: "0", help: "recycle a worker whose RSS exceeds this"),
        OptionSpec("evil-reload-on-rss", type: .megabytes, default: "0",
                   help: "kill a worker whose RSS exceeds this (checked by the master)"),
        OptionSpec("max-worker-lifetime", type: .seconds, default: "0", help: "recycle a worker after this long (0: off)"),
        OptionSpec("min-worker-lifetime", type: .seconds, default: "10", help: "never recycle a worker younger than this"),
        OptionSpec("worker-reload-mercy", type: .seconds, default: "60", help: "time a recycled worker gets to finish"),
        OptionSpec("reload-mercy", type: .seconds, default: "60", help: "time workers get to finish on reload and stop"),
        OptionSpec("drain-delay", type: .seconds, default: "0",
                   help: "Liege extension: on a graceful stop, keep serving this long with `GET /ready` answering 503 (so load balancers move away), then stop"),
        OptionSpec("touch-reload", type: .path, repeatable: true, help: "reload when this file is touched"),
        OptionSpec("touch-chain-reload", type: .path, repeatable: true, help: "reload workers one by one when this file is touched"),
        OptionSpec("touch-workers-reload", type: .path, repeatable: true, help: "reload only the workers when this file is touched"),
        OptionSpec("touch-logreopen", type: .path, repeatable: true, help: "reopen the log when this file is touched"),
        OptionSpec("master-fifo", type: .path, help: "control FIFO of the master"),
        OptionSpec("pidfile", aliases: ["safe-pidfile"], type: .path, help: "write the master PID here (before dropping privileges)"),
        OptionSpec("pidfile2", type: .path, help: "write the master PID here (after dropping privileges)"),
        OptionSpec("vacuum", type: .bool, help: "remove unix sockets and pidfiles on exit"),
        OptionSpec("uid", type: .user, help: "drop privileges to this user (a name that does not exist is an error)",
                   check: { name in (try? Posix.userID(name)) == nil ? "names user \(Quoted.text(name)), which does not exist" : nil }),
        OptionSpec("gid", type: .user, help: "drop privileges to this group (a name that does not exist is an error)",
                   check: { name in (try? Posix.groupID(name)) == nil ? "names group \(Quoted.text(name)), which does not exist" : nil }),
        OptionSpec("daemonize", type: .path,
                   help: "detach from the terminal (new session, stdin /dev/null) and log to this file; ignored under the emperor"),
        OptionSpec("daemonize2", type: .path,
                   help: "as `daemonize`, the log file opened again after dropping privileges (as `logto2`)"),
        OptionSpec("umask", type: .string, help: "file mode creation mask of the master and its children (octal, like 022)",
                   parser: OptionParser { value in
                       value.count <= 4 && !value.isEmpty && value.allSatisfy({ ("0"..."7").contains($0) })
                           ? Int(value, radix: 8).map { .success($0) } ?? .failure(ValueError("expects an octal mask"))
                           : .failure(ValueError("expects an octal mask of up to four digits (like 022 or 0027), got \(Quoted.text(value))"))
                   }),
        OptionSpec("show-config", type: .bool, help: "log the expanded configuration when the master starts"),
    ]
}

// The typed keys of these options (`config[.harakiri]`).
extension Option where Value == Int {
    public static var processes: Self { .init("processes") }
    /// Seconds a worker may spend on one request (0: off).
    public static var harakiri: Self { .init("harakiri") }
    public static var maxRequests: Self { .init("max-requests") }
    public static var maxRequestsDelta: Self { .init("max-requests-delta") }
    /// Megabytes.
    public static var reloadOnRSS: Self { .init("reload-on-rss") }
    /// Megabytes.
    public static var evilReloadOnRSS: Self { .init("evil-reload-on-rss") }
    public static var maxWorkerLifetime: Self { .init("max-worker-lifetime") }
    public static var minWorkerLifetime: Self { .init("min-worker-lifetime") }
    public static var workerReloadMercy: Self { .init("worker-reload-mercy") }
    public static var reloadMercy: Self { .init("reload-mercy") }
    public static var drainDelay: Self { .init("drain-delay") }
}

extension Option where Value == Int? {
    /// `umask` as a number (`022` -> 0o22).
    public static var umask: Self { .init(optional: "umask") }
}

extension Option where Value == Bool {
    public static var vacuum: Self { .init("vacuum") }
    public static var showConfig: Self { .init("show-config") }
}

extension Option where Value == String? {
    public static var pidfile: Self { .init(optional: "pidfile") }
    public static var pidfile2: Self { .init(optional: "pidfile2") }
    public static var uid: Self { .init(optional: "uid") }
    public static var gid: Self { .init(optional: "gid") }
    public static var daemonize: Self { .init(optional: "daemonize") }
    public static var daemonize2: Self { .init(optional: "daemonize2") }
}

extension Option where Value == [String] {
    public static var touchReload: Self { .init(list: "touch-reload") }
    public static var touchChainReload: Self { .init(list: "touch-chain-reload") }
    public static var touchWorkersReload: Self { .init(list: "touch-workers-reload") }
    public static var touchLogReopen: Self { .init(list: "touch-logreopen") }
    /// Every `master-fifo` given: the first one is the master's FIFO (as in uWSGI).
    public static var masterFifos: Self { .init(list: "master-fifo") }
}
