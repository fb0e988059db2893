/// One attached daemon as configured (SPEC.md §9): `attach-daemon`, `smart-attach-daemon`,
/// `smart-attach-daemon2` or `attach-daemon2`. The loader checks every value with `parse`; the master
/// parses the stored value again to run it.
public struct DaemonLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Runs in the foreground as our child; restarted when it exits; stopped on reload and shutdown.
        case foreground
        /// The command daemonizes itself and writes `pidfile`; the master watches that pid.
        case selfDaemonizing
        /// The command stays in the foreground; Liege detaches it and writes `pidfile`.
        case detached
    }

    public var command: String
    public var kind: Kind
    public var pidfile: String?
    /// Checks after a launch during which a missing pidfile is tolerated (`PIDFILE,N`).
    public var graceChecks = 10
    /// Seconds between pidfile checks (`freq`).
    public var frequency = 1
    /// Its death stops the master (`control`).
    public var control = false
    public var stopSignal: Int32 = 15
    /// Sent instead of a restart on reload (`reloadsignal`).
    public var reloadSignal: Int32?
    /// Files whose change restarts the daemon (`touch`, `;`-separated).
    public var touch: [String] = []
    /// Keep the master's stdin instead of /dev/null (`stdin`).
    public var inheritStdin = false
    public var uid: String?
    public var gid: String?
    public var chdir: String?
    /// Longest throttling delay in seconds (`max_throttle`).
    public var maxThrottle = 60
    /// Smart daemons: signalled on reload and stopped on shutdown like the others (`notifypid`).
    public var notifyPid = false

    public init(command: String, kind: Kind, pidfile: String? = nil) {
        self.command = command
        self.kind = kind
        self.pidfile = pidfile
    }

    /// The options this type reads, canonical names.
    public static let options = ["attach-daemon", "smart-attach-daemon", "smart-attach-daemon2", "attach-daemon2"]

    /// The keys `attach-daemon2` accepts.
    public static let keys = ["cmd", "command", "exec", "pidfile", "daemonize", "daemon", "freq", "control", "stopsignal",
                              "stop_signal", "reloadsignal", "reload_signal", "touch", "stdin", "uid", "gid", "chdir",
                              "max_throttle", "notifypid"]

    /// Parses the value of `option` (one of `options`); the error is the message after the location.
    public static func parse(option: String, value: String) -> Result<DaemonLine, CronSyntaxError> {
        let text = value.trimmingSpaces
        switch option {
        case "attach-daemon":
            guard !text.isEmpty else { return .failure(CronSyntaxError("attach-daemon needs a command")) }
            return .success(DaemonLine(command: text, kind: .foreground))
        case "smart-attach-daemon", "smart-attach-daemon2":
            let head = String(text.prefix { $0 != " " && $0 != "\t" })
            let command = String(text.dropFirst(head.count)).trimmingSpaces
            guard !head.isEmpty, !command.isEmpty else {
                return .failure(CronSyntaxError("\(option) expects PIDFILE COMMAND, got \(Quoted.text(text))"))
            }
            var line = DaemonLine(command: command, kind: option == "smart-attach-daemon" ? .selfDaemonizing : .detached, pidfile: head)
            if let comma = head.lastIndex(of: ","), let checks = Int(head[head.index(after: comma)...]), checks >= 0 {
                line.pidfile = String(head[..<comma])
                line.graceChecks = checks
            }
            return .success(line)
        default:
            return parseKeyed(text)
        }
    }

    private static func parseKeyed(_ text: String) -> Result<DaemonLine, CronSyntaxError> {
        let pairs: [(key: String, value: String)]
        switch KeyValueList.parse(text, allowed: keys) {
        case .success(let parsed): pairs = parsed
        case .failure(let error): return .failure(error)
        }
        var line = DaemonLine(command: "", kind: .foreground)
        var daemonize = false
        for (key, value) in pairs {
            func flag() -> Bool? { value.isEmpty ? true : OptionValidator.booleans[value.lowercased()] }
            func bad(_ expected: String) -> Result<DaemonLine, CronSyntaxError> {
                .failure(CronSyntaxError("\(key) \(Quoted.text(value)): expected \(expected)"))
            }
            switch key {
            case "cmd", "command", "exec": line.command = value.trimmingSpaces
            case "pidfile": line.pidfile = value
            case "chdir": line.chdir = value
            case "uid": line.uid = value
            case "gid": line.gid = value
            case "touch": line.touch = value.split(separator: ";").map(String.init)
            case "daemonize", "daemon", "control", "stdin", "notifypid":
                guard let on = flag() else { return bad("a boolean") }
                switch key {
                case "control": line.control = on
                case "stdin": line.inheritStdin = on
                case "notifypid": line.notifyPid = on
                default: daemonize = on
                }
            case "freq", "max_throttle":
                guard let seconds = Int(value), seconds >= 1 else { return bad("seconds >= 1") }
                if key == "freq" { line.frequency = seconds } else { line.maxThrottle = seconds }
            default:
                guard let number = signalNumber(value) else { return bad("a signal (TERM, SIGHUP, 15, ...)") }
                if key.hasPrefix("stop") { line.stopSignal = number } else { line.reloadSignal = number }
            }
        }
        guard !line.command.isEmpty else { return .failure(CronSyntaxError("the cmd key is required")) }
        if line.pidfile != nil { line.kind = daemonize ? .detached : .selfDaemonizing }
        return .success(line)
    }

    private static let signalNumbers: [String: Int32] = [
        "HUP": 1, "INT": 2, "QUIT": 3, "ABRT": 6, "KILL": 9, "USR1": 10, "USR2": 12, "ALRM": 14, "TERM": 15,
        "CONT": 18, "STOP": 19, "TSTP": 20, "WINCH": 28,
    ]

    /// `TERM`, `SIGTERM`, `sigterm` or `15` -> 15 (Linux numbering); nil when unknown.
    public static func signalNumber(_ text: String) -> Int32? {
        if let number = Int32(text), (1...64).contains(number) { return number }
        let upper = text.uppercased()
        return signalNumbers[upper.hasPrefix("SIG") ? String(upper.dropFirst(3)) : upper]
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
