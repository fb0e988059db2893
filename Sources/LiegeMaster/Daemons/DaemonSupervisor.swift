import Dispatch
import LiegeConfig
import LiegeSystem

/// Runs the attached daemons of one master (SPEC.md §9). Owned by the arbiter and called only on its
/// queue: `start` once the master is up, `reaped` from the reap loop, `tick` from every arbiter tick
/// (pidfile and touch checks run at most once per second), `reload`, `shutDown`, `isIdle`, `killRemaining`.
final class DaemonSupervisor: @unchecked Sendable {
    var records: [DaemonRecord]
    private var launcher: ShellLauncher
    var mercy: Int
    let log: Logger
    private let queue: DispatchQueue
    private let clock: @Sendable () -> Int64
    private var started = false
    private var shuttingDown = false
    /// Called (asynchronously, on the queue) when a `control` daemon dies: the master stops.
    var onControlDeath: (@Sendable () -> Void)?

    init(settings: AttachedSettings, log: Logger, queue: DispatchQueue,
         clock: @escaping @Sendable () -> Int64 = monotonicMicroseconds) {
        records = settings.daemons.enumerated().map { DaemonRecord(number: $0.offset + 1, line: $0.element) }
        launcher = settings.launcher
        mercy = settings.stopMercy
        self.log = log
        self.queue = queue
        self.clock = clock
    }

    /// Starts (or adopts) every daemon; called once the master is up.
    func start() {
        guard !started else { return }
        started = true
        let now = clock()
        for index in records.indices {
            records[index].touchStamps = records[index].line.touch.map(stamp)
            if records[index].isSmart, adopt(index) { continue }
            launch(index, now: now)
        }
    }

    /// Starts what is due, checks pidfiles and touch files, walks stops along their plans.
    func tick() {
        guard started else { return }
        let now = clock()
        for index in records.indices {
            advanceStop(index, now: now)
            guard !shuttingDown, !records[index].retired else { continue }
            if now >= records[index].nextCheck {
                records[index].nextCheck = now + Int64(records[index].line.frequency) * 1_000_000
                if records[index].isSmart { checkPidfile(index, now: now) }
                checkTouch(index, now: now)
            }
            if !records[index].isActive, records[index].stop == nil, now >= records[index].notBefore,
               records[index].isSmart || !records.contains(where: { $0.retired }) {
                if records[index].isSmart, records[index].starts == 0, adopt(index) { continue }
                launch(index, now: now)
            }
        }
        records.removeAll { $0.retired && !$0.isActive }
    }

    /// Takes a reaped child if it is one of ours; false otherwise.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        if let index = records.firstIndex(where: { $0.launcherPid == pid }) {
            records[index].launcherPid = nil
            log.info("\(records[index].prefix) launcher (pid \(pid)) \(status)")
            if records[index].pid == pid { gone(index, now: clock()) }
            return true
        }
        guard let index = records.firstIndex(where: { $0.pid == pid && $0.pidIsChild }) else { return false }
        log.info("\(records[index].prefix) (pid \(pid)) \(status)")
        gone(index, now: clock())
        return true
    }

    /// Reload: dumb daemons stop and start again (or get their `reloadsignal`); smart ones are left
    /// alone, except `notifypid` ones, which get their `reloadsignal` (HUP by default). With the re-read
    /// config, daemons no longer configured are stopped (dumb) or left running (smart), new ones start.
    func reload(with settings: AttachedSettings? = nil) {
        let now = clock()
        if let settings {
            launcher = settings.launcher
            mercy = settings.stopMercy
            if settings.daemons != records.filter({ !$0.retired }).map(\.line) { replace(with: settings.daemons, now: now) }
        }
        for index in records.indices where !records[index].retired {
            let record = records[index]
            if record.isSmart {
                guard record.line.notifyPid, let pid = record.pid else { continue }
                signal(index, UnixSignal(rawValue: record.line.reloadSignal ?? UnixSignal.hangup.rawValue), pid: pid)
            } else if let signal = record.line.reloadSignal, let pid = record.pid {
                self.signal(index, UnixSignal(rawValue: signal), pid: pid)
            } else if record.pid != nil {
                guard record.stop == nil else { continue }
                log.info("\(record.prefix) reload: stopping it to start it again")
                requestStop(index, reason: .restart, plan: .graceful(mercySeconds: mercy), now: now)
            } else {
                records[index].notBefore = now
            }
        }
    }

    /// Shutdown: dumb daemons (and `notifypid` smart ones) are stopped: their stop signal, SIGKILL after
    /// the mercy period (`immediate`: SIGKILL now). Other smart daemons keep running.
    func shutDown(immediate: Bool) {
        shuttingDown = true
        let now = clock()
        for index in records.indices {
            let record = records[index]
            guard record.pid != nil, !record.isSmart || record.line.notifyPid else { continue }
            if record.stop != nil, !immediate { continue }
            if immediate, record.isSmart {
                if let pid = record.pid { signal(index, UnixSignal(rawValue: record.line.stopSignal), pid: pid) }
                continue
            }
            requestStop(index, reason: .shutdown, plan: immediate ? .immediate : .graceful(mercySeconds: mercy), now: now)
        }
    }

    /// Some daemon is configured or still on its way out: the heartbeat must keep checking them.
    var hasWork: Bool { !records.isEmpty }

    /// Nothing left to wait for at shutdown: no dumb daemon alive, no stop in progress.
    var isIdle: Bool {
        !records.contains { $0.stop != nil || (!$0.isSmart && $0.pid != nil) }
    }

    /// Last resort when the master exits: SIGKILL whatever dumb daemon is left, and reap it.
    func killRemaining() {
        for record in records where !record.isSmart {
            guard let pid = record.pid else { continue }
            _ = try? Processes.killGroup(pid, .kill)
            _ = Processes.wait(for: pid)
        }
    }

    // MARK: internals

    private func launch(_ index: Int, now: Int64) {
        let line = records[index].line
        let prefix = records[index].prefix
        let output: ShellLauncher.Output = line.kind == .foreground ? .pipe : .log
        records[index].startedAt = now
        records[index].starts += 1
        do {
            let launched = try launcher.launch(line.command, directory: line.chdir, uid: line.uid, gid: line.gid,
                                               inheritStdin: line.inheritStdin, output: output)
            if let fd = launched.output { OutputRelay.start(fd: fd, prefix: prefix, log: log) }
            records[index].lifeline = launched.lifeline
            switch line.kind {
            case .foreground, .detached:
                records[index].pid = launched.pid
                records[index].pidIsChild = true
                if line.kind == .detached, let pidfile = line.pidfile {
                    do { try Posix.writePidfile(pidfile, pid: launched.pid) } catch { log.error("\(prefix) cannot write pidfile: \(error)") }
                }
            case .selfDaemonizing:
                records[index].launcherPid = launched.pid
                records[index].graceChecksLeft = max(1, line.graceChecks)
            }
            let verb = records[index].starts > 1 ? "restarted" : "started"
            log.info("\(prefix) \(verb) (pid \(launched.pid)): \(line.command)")
        } catch {
            log.error("\(prefix) cannot start \(line.command): \(error)")
            failed(index, now: now)
        }
    }

    /// The daemon's process is gone (reaped, or its pidfile pid vanished).
    func gone(_ index: Int, now: Int64) {
        if let lifeline = records[index].lifeline { Posix.close(lifeline) }
        records[index].lifeline = nil
        records[index].pid = nil
        records[index].pidIsChild = false
        let reason = records[index].stopReason
        records[index].stop = nil
        records[index].stopReason = nil
        switch reason {
        case .shutdown:
            return
        case .restart:
            records[index].notBefore = now
        case nil:
            guard !shuttingDown else { return }
            if records[index].line.control {
                log.error("\(records[index].prefix) control daemon died: stopping the master")
                records[index].notBefore = .max
                if let onControlDeath { queue.async(execute: onControlDeath) }
                return
            }
            failed(index, now: now)
        }
    }

    /// An unrequested exit: restart, after a delay when it died young (`throttling`).
    private func failed(_ index: Int, now: Int64) {
        let delay = records[index].throttle.delayAfterExit(livedMicros: now - records[index].startedAt)
        records[index].notBefore = now + Int64(delay) * 1_000_000
        if delay > 0 {
            log.info("\(records[index].prefix) died young \(records[index].throttle.failures) time(s) in a row: "
                     + "throttling, next start in \(delay)s")
        }
    }

    private func requestStop(_ index: Int, reason: DaemonRecord.StopReason, plan: StopPlan, now: Int64) {
        records[index].stop = StopProgress(plan: plan)
        records[index].stopReason = reason
        advanceStop(index, now: now)
    }

    func advanceStop(_ index: Int, now: Int64) {
        guard var progress = records[index].stop, let pid = records[index].pid else { return }
        if !records[index].pidIsChild, !Processes.exists(pid) {
            gone(index, now: now)
            return
        }
        for action in progress.advance(now: now) {
            switch action {
            case .requestStop:
                signal(index, UnixSignal(rawValue: records[index].line.stopSignal), pid: pid)
            case .killGroup:
                log.info("\(records[index].prefix) (pid \(pid)) still alive: SIGKILL")
                signal(index, .kill, pid: pid)
            case .waitUpTo:
                break
            }
        }
        records[index].stop = progress
    }

    /// Our children (and detached smart daemons, which we started in their own group) lead their process
    /// group: the whole group gets it; a pid read from a self-daemonizing command's pidfile only itself.
    func signal(_ index: Int, _ signal: UnixSignal, pid: Int32) {
        if records[index].pidIsChild || records[index].line.kind == .detached {
            _ = try? Processes.killGroup(pid, signal)
        } else {
            _ = try? Processes.kill(pid, signal)
        }
    }
}
