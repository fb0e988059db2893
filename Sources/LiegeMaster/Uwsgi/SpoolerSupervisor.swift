import LiegeConfig
import LiegeSystem

/// The spooler processes of one master (`spooler = DIR`, `spooler-processes` each), owned by the arbiter
/// and called on its queue like the daemons: `tick` starts what is due and walks stops along their plans,
/// `reaped` takes their exits (an unrequested one restarts, throttled when it keeps dying young), `reload`
/// stops them gracefully (each finishes its task) and starts the new config's, `shutDown` stops them for good.
/// Tasks are files: whatever a stop interrupts is run again by the next spooler.
final class SpoolerSupervisor {
    struct Record {
        let id: Int
        let directory: String
        var pid: Int32?
        var lifeline: Int32?
        var startedAt: Int64 = 0
        var notBefore: Int64 = 0
        var starts = 0
        var throttle = DaemonThrottle(maximumSeconds: 30)
        var stop: StopProgress?
        /// Left over from the config before a reload: goes once its process is gone.
        var retired = false
    }

    private(set) var records: [Record]
    private var shuttingDown = false
    private let log: Logger
    /// Seconds a stopping spooler gets to finish its task (`reload-mercy`).
    var mercy: Int

    init(settings: SpoolerSettings, workingDirectory: String, mercy: Int, log: Logger) {
        records = Self.records(settings, workingDirectory: workingDirectory, firstID: 1)
        self.mercy = mercy
        self.log = log
    }

    private static func records(_ settings: SpoolerSettings, workingDirectory: String, firstID: Int) -> [Record] {
        var records: [Record] = []
        for directory in settings.resolved(against: workingDirectory) {
            for _ in 0..<settings.processes { records.append(Record(id: firstID + records.count, directory: directory)) }
        }
        return records
    }

    /// Makes the spooler directories that are missing (as uWSGI does, mode 0750); the message of the first failure.
    static func prepareDirectories(_ settings: SpoolerSettings, workingDirectory: String) -> String? {
        for directory in settings.resolved(against: workingDirectory) where Posix.fileStatus(directory)?.isDirectory != true {
            do {
                try Posix.makeDirectory(directory, mode: 0o750)
            } catch {
                return "cannot make the spooler directory \(directory): \(error)"
            }
        }
        return nil
    }

    /// Starts the spoolers that are due with `launch` (id, directory -> pid and lifeline), advances stops.
    func tick(now: Int64, launch: (Int, String) throws(SystemError) -> (pid: Int32, lifeline: Int32)) {
        for index in records.indices {
            advanceStop(index, now: now)
            guard !shuttingDown, !records[index].retired, records[index].pid == nil, now >= records[index].notBefore else { continue }
            let record = records[index]
            do {
                let launched = try launch(record.id, record.directory)
                records[index].pid = launched.pid
                records[index].lifeline = launched.lifeline
                records[index].startedAt = now
                records[index].starts += 1
                log.info("spooler \(record.id) \(record.starts > 0 ? "restarted" : "started") (pid \(launched.pid)) on \(record.directory)")
            } catch {
                log.error("cannot start spooler \(record.id): \(error)")
                records[index].notBefore = now + Int64(records[index].throttle.delayAfterExit(livedMicros: 0)) * 1_000_000
            }
        }
        records.removeAll { $0.retired && $0.pid == nil }
    }

    /// Takes a reaped child if it is one of ours; false otherwise.
    func reaped(_ pid: Int32, _ status: ExitStatus, now: Int64) -> Bool {
        guard let index = records.firstIndex(where: { $0.pid == pid }) else { return false }
        let record = records[index]
        let harakiri = status == .signaled(UnixSignal.alarm.rawValue) ? " (spooler-harakiri: its task ran too long and stays queued)" : ""
        log.info("spooler \(record.id) (pid \(pid)) \(status)\(harakiri)")
        if let lifeline = record.lifeline { Posix.close(lifeline) }
        records[index].pid = nil
        records[index].lifeline = nil
        let requested = records[index].stop != nil
        records[index].stop = nil
        guard !requested, !shuttingDown, !record.retired else { return true }
        // Recycled after spooler-max-tasks: back at once; a crash: throttled.
        let delay = status == .exited(0) ? 0 : records[index].throttle.delayAfterExit(livedMicros: now - record.startedAt)
        records[index].notBefore = now + Int64(delay) * 1_000_000
        if delay > 0 { log.info("spooler \(record.id) keeps dying: next start in \(delay)s") }
        return true
    }

    /// A reload that re-read the config: every running spooler finishes its task and goes, the new
    /// config's spoolers start at once (from the new generation, so they import the new code).
    func reload(settings: SpoolerSettings, workingDirectory: String, mercy: Int, now: Int64) {
        self.mercy = mercy
        for index in records.indices where !records[index].retired {
            records[index].retired = true
            requestStop(index, plan: .graceful(mercySeconds: mercy), now: now)
        }
        records += Self.records(settings, workingDirectory: workingDirectory, firstID: 1)
    }

    func shutDown(immediate: Bool, now: Int64) {
        shuttingDown = true
        for index in records.indices where records[index].pid != nil {
            if records[index].stop != nil, !immediate { continue }
            requestStop(index, plan: immediate ? .immediate : .graceful(mercySeconds: mercy), now: now)
        }
    }

    /// A start or a stop is pending: the heartbeat must keep looking.
    var hasWork: Bool { records.contains { $0.pid == nil || $0.stop != nil } }

    /// No spooler process left.
    var isIdle: Bool { !records.contains { $0.pid != nil } }

    /// Last resort when the master exits.
    func killRemaining() {
        for record in records {
            guard let pid = record.pid else { continue }
            _ = try? Processes.killGroup(pid, .kill)
            _ = Processes.wait(for: pid)
        }
    }

    private func requestStop(_ index: Int, plan: StopPlan, now: Int64) {
        guard records[index].pid != nil else { return }
        records[index].stop = StopProgress(plan: plan)
        advanceStop(index, now: now)
    }

    private func advanceStop(_ index: Int, now: Int64) {
        guard var progress = records[index].stop, let pid = records[index].pid else { return }
        for action in progress.advance(now: now) {
            switch action {
            case .requestStop:
                if let lifeline = records[index].lifeline { try? Posix.writeAll(lifeline, "q") }
            case .killGroup:
                log.info("spooler \(records[index].id) (pid \(pid)) still busy: SIGKILL (its task stays queued)")
                _ = try? Processes.killGroup(pid, .kill)
            case .waitUpTo:
                break
            }
        }
        records[index].stop = progress
    }
}
