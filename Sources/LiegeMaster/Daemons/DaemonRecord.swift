import LiegeConfig
import LiegeSystem

/// The master's record of one attached daemon (SPEC.md §9).
struct DaemonRecord {
    /// Why a stop is in progress, which decides what happens once the daemon is gone.
    enum StopReason: Equatable {
        /// Reload or a `touch` file: start again at once.
        case restart
        /// Shutdown: stay down.
        case shutdown
    }

    /// 1-based, as in `[daemon N]`.
    var number: Int
    let line: DaemonLine
    /// The daemon's pid: our child (foreground, detached) or the one found in its pidfile.
    var pid: Int32?
    /// Whether `pid` is our child (then it is reaped, and leads its own process group).
    var pidIsChild = false
    /// Write end of a dumb daemon's lifeline (`ShellLauncher.Output.pipe`), closed once it is reaped.
    var lifeline: Int32?
    /// A smart daemon's launch command while it runs (it daemonizes and exits).
    var launcherPid: Int32?
    /// Launched, the pidfile not read yet: checks left before a missing pidfile means it failed.
    var graceChecksLeft = 0
    var startedAt: Int64 = 0
    var throttle: DaemonThrottle
    /// No start before this (monotonic µs).
    var notBefore: Int64 = 0
    var stop: StopProgress?
    var stopReason: StopReason?
    var nextCheck: Int64 = 0
    var touchStamps: [FileInfo?] = []
    var starts = 0
    /// No longer configured after a reload: stopped, never started again, dropped once gone.
    var retired = false

    init(number: Int, line: DaemonLine) {
        self.number = number
        self.line = line
        self.throttle = DaemonThrottle(maximumSeconds: line.maxThrottle)
    }

    var isSmart: Bool { line.kind != .foreground }

    /// Something of this daemon runs or is being started.
    var isActive: Bool { pid != nil || launcherPid != nil || graceChecksLeft > 0 }

    var prefix: String { "[daemon \(number)]" }
}
