import Glibc

/// A signal by name, never a bare Int32 (swift-service-lifecycle's `UnixSignal`).
public struct UnixSignal: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let hangup = UnixSignal(rawValue: SIGHUP)
    public static let interrupt = UnixSignal(rawValue: SIGINT)
    public static let quit = UnixSignal(rawValue: SIGQUIT)
    public static let kill = UnixSignal(rawValue: SIGKILL)
    public static let terminate = UnixSignal(rawValue: SIGTERM)
    public static let user1 = UnixSignal(rawValue: SIGUSR1)
    public static let user2 = UnixSignal(rawValue: SIGUSR2)
    public static let child = UnixSignal(rawValue: SIGCHLD)
    public static let pipe = UnixSignal(rawValue: SIGPIPE)
    public static let alarm = UnixSignal(rawValue: SIGALRM)
    public static let abort = UnixSignal(rawValue: SIGABRT)
    public static let segmentationFault = UnixSignal(rawValue: SIGSEGV)

    private static let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT",
        SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV",
        SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGCHLD: "SIGCHLD",
        SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP", SIGTSTP: "SIGTSTP", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        SIGTRAP: "SIGTRAP", SIGSYS: "SIGSYS",
    ]

    /// `SIGTERM`, or `signal 42` for ones without a name here.
    public var name: String { Self.names[rawValue] ?? "signal \(rawValue)" }

    public var description: String { name }
}
