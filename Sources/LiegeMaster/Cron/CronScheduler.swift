import LiegeConfig
import LiegeSystem

/// Runs the cron jobs of one master (SPEC.md §10). Owned by the arbiter, called on its queue: `tick`
/// reads the wall clock and starts what `CronPlanner` decides, enforces harakiri and walks stops;
/// `reaped` logs a run's end; `shutDown` stops the runs; a reload does not touch it (its state stays).
final class CronScheduler: @unchecked Sendable {
    struct Run {
        /// The job's index, nil once a reload removed the job (the run goes on).
        var job: Int?
        /// `[cron N]` in the log.
        var number: Int
        let pid: Int32
        /// Write end of the run's lifeline, closed once the run is reaped (`ShellLauncher.Output.pipe`).
        let lifeline: Int32?
        let startedAt: Int64
        /// SIGKILL of the run's group at this time (monotonic µs), if it has a harakiri.
        let deadline: Int64?
        var stop: StopProgress?
    }

    private var planner: CronPlanner
    private(set) var runs: [Run] = []
    /// The configured jobs, in config order (the stats server lists them).
    var jobs: [CronLine] { settings.crons }
    private var settings: AttachedSettings
    private var launcher: ShellLauncher
    private let log: Logger
    private let wallClock: @Sendable () -> Int
    private let calendar: CronMatcher.Calendar
    private var shuttingDown = false

    init(settings: AttachedSettings, log: Logger,
         wallClock: @escaping @Sendable () -> Int = wallClockSeconds,
         calendar: @escaping CronMatcher.Calendar = { CalendarTime.local(epochSeconds: $0) }) {
        planner = CronPlanner(lines: settings.crons)
        self.settings = settings
        launcher = settings.launcher
        self.log = log
        self.wallClock = wallClock
        self.calendar = calendar
    }

    func tick() {
        let now = monotonicMicroseconds()
        advanceRuns(now: now)
        guard !shuttingDown, !planner.lines.isEmpty else { return }
        let running = Set(runs.compactMap(\.job))
        for decision in planner.decide(now: wallClock(), calendar: calendar, isRunning: { running.contains($0) }) {
            switch decision {
            case .start(let job, _):
                start(job, now: now)
            case .waiting(let job, _):
                log.info("[cron \(job + 1)] previous run still alive: waiting for it (unique)")
            case .skipped(let job, let minute):
                let at = localTimeString(epochSeconds: minute * 60, format: "%H:%M")
                log.info("[cron \(job + 1)] skipped the \(at) run: the previous run outlived the minute (unique)")
            }
        }
    }

    /// Takes a reaped child if it is one of our runs; false otherwise.
    func reaped(_ pid: Int32, _ status: ExitStatus) -> Bool {
        guard let index = runs.firstIndex(where: { $0.pid == pid }) else { return false }
        let run = runs.remove(at: index)
        if let lifeline = run.lifeline { Posix.close(lifeline) }
        let elapsed = Double(monotonicMicroseconds() - run.startedAt) / 1_000_000
        let seconds = (elapsed * 100).rounded() / 100
        log.info("[cron \(run.number)] run (pid \(pid)) \(status) after \(seconds)s")
        return true
    }

    /// Stops every run: SIGTERM to its group, SIGKILL after the mercy period (`immediate`: SIGKILL now).
    func shutDown(immediate: Bool) {
        shuttingDown = true
        let plan = immediate ? StopPlan.immediate : StopPlan(steps: [.requestStop, .waitUpTo(seconds: settings.stopMercy), .killGroup])
        for index in runs.indices where immediate || runs[index].stop == nil {
            log.info("[cron \(runs[index].number)] stopping run (pid \(runs[index].pid))")
            runs[index].stop = StopProgress(plan: plan)
        }
        advanceRuns(now: monotonicMicroseconds())
    }

    var isIdle: Bool { runs.isEmpty }

    /// A job is configured or a run is still going: the heartbeat must keep looking at the clock.
    var hasWork: Bool { !planner.lines.isEmpty || !runs.isEmpty }

    /// A reload re-read the config: unchanged jobs keep their fired-minute state, runs go on.
    func update(_ settings: AttachedSettings) {
        let (planner, remap) = planner.updated(to: settings.crons)
        self.planner = planner
        self.settings = settings
        launcher = settings.launcher
        for index in runs.indices { runs[index].job = runs[index].job.flatMap { remap[$0] } }
    }

    /// Last resort when the master exits: SIGKILL every run left, and reap it.
    func killRemaining() {
        for run in runs {
            _ = try? Processes.killGroup(run.pid, .kill)
            _ = Processes.wait(for: run.pid)
        }
        runs.removeAll()
    }

    private func start(_ job: Int, now: Int64) {
        let line = planner.lines[job]
        do {
            let launched = try launcher.launch(line.command, output: .pipe)
            if let fd = launched.output { OutputRelay.start(fd: fd, prefix: "[cron \(job + 1)]", log: log) }
            let harakiri = line.harakiri ?? settings.cronHarakiri
            runs.append(Run(job: job, number: job + 1, pid: launched.pid, lifeline: launched.lifeline, startedAt: now,
                            deadline: harakiri > 0 ? now + Int64(harakiri) * 1_000_000 : nil))
            log.info("[cron \(job + 1)] started (pid \(launched.pid)): \(line.command)")
        } catch {
            log.error("[cron \(job + 1)] cannot start \(line.command): \(error)")
        }
    }

    private func advanceRuns(now: Int64) {
        for index in runs.indices {
            let run = runs[index]
            if run.stop == nil, let deadline = run.deadline, now >= deadline {
                log.info("[cron \(run.number)] HARAKIRI: run (pid \(run.pid)) over its time limit: SIGKILL")
                runs[index].stop = StopProgress(plan: .immediate)
            }
            guard var progress = runs[index].stop else { continue }
            for action in progress.advance(now: now) {
                switch action {
                case .requestStop: _ = try? Processes.killGroup(run.pid, .terminate)
                case .killGroup: _ = try? Processes.killGroup(run.pid, .kill)
                case .waitUpTo: break
                }
            }
            runs[index].stop = progress
        }
    }
}
