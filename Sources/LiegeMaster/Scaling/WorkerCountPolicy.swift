/// How many workers the master wants running (SPEC.md §8), as pure code over `ScalingSample`s: the
/// cheap/active state machine of `cheap` and `idle`, and the `spare`, `backlog` and `manual` algorithms
/// of `cheaper`. The master samples once a second, asks `target`, spawns into empty slots up to it and
/// stops only idle workers above it.
struct WorkerCountPolicy: Sendable {
    enum State: Sendable, Equatable {
        /// No worker wanted: the master polls its sockets and wakes on a connection.
        case cheap
        /// Workers serve; `target` of them.
        case active
    }

    private(set) var settings: ScalingSettings
    private(set) var state: State
    /// Workers wanted now (0 while cheap).
    private(set) var target: Int
    /// The last time a request was in flight or ended, or workers were started (monotonic µs).
    private(set) var lastActivity: Int64
    /// Consecutive samples with every worker busy (spare) or the backlog over the limit (backlog).
    private(set) var overloadedSamples = 0
    /// Consecutive samples with more than one idle worker.
    private(set) var idleSamples = 0

    init(settings: ScalingSettings, now: Int64) {
        self.settings = settings
        state = settings.cheap ? .cheap : .active
        target = settings.cheap ? 0 : settings.initialCount
        lastActivity = now
    }

    /// A connection waits on a socket while cheap: spawn `processes` workers (`cheaper` if set).
    mutating func connectionWaiting(now: Int64) -> ScalingEvent? {
        guard state == .cheap else { return nil }
        state = .active
        target = settings.wakeCount
        lastActivity = now
        resetSamples()
        return .woke(count: target)
    }

    /// fifo `C`: stop every worker gracefully and wait for the next connection.
    mutating func goCheap() -> ScalingEvent {
        guard state == .active else { return .refused("master-fifo C: already in cheap mode") }
        state = .cheap
        target = 0
        resetSamples()
        return .wentCheap(reason: "master-fifo C")
    }

    /// fifo `+` / `-`: `cheaper-step` more or fewer workers, between `cheaper` and `processes`.
    mutating func manualStep(up: Bool, now: Int64) -> ScalingEvent {
        let command = up ? "+" : "-"
        guard settings.isAdaptive else { return .refused("master-fifo \(command): cheaper is off (set cheaper = N)") }
        if state == .cheap {
            guard up, let woke = connectionWaiting(now: now) else { return .refused("master-fifo -: in cheap mode, no worker runs") }
            return woke
        }
        let from = target
        target = up ? min(settings.processes, target + settings.cheaperStep) : max(settings.cheaper, target - settings.cheaperStep)
        resetSamples()
        if target == from {
            return .refused("master-fifo \(command): already at \(up ? "processes" : "cheaper") (\(target) workers)")
        }
        return up ? .grew(from: from, to: target, reason: "master-fifo +") : .shrank(from: from, to: target, reason: "master-fifo -")
    }

    /// A reload brought new settings: keep the state, clamp the count to the new limits.
    mutating func update(_ new: ScalingSettings) {
        let wasAdaptive = settings.isAdaptive
        settings = new
        resetSamples()
        guard state == .active else { return }
        target = wasAdaptive == new.isAdaptive ? min(max(target, new.floor), new.processes) : new.initialCount
    }

    /// Once a second: idle detection, then the `cheaper` algorithm.
    mutating func sample(_ sample: ScalingSample) -> ScalingEvent? {
        if sample.busy > 0 || sample.starting > 0 { lastActivity = max(lastActivity, sample.now) }
        lastActivity = max(lastActivity, sample.lastRequestEnd)
        guard state == .active else { return nil }
        if settings.idleSeconds > 0, sample.busy == 0, sample.starting == 0,
           sample.now - lastActivity > Int64(settings.idleSeconds) * 1_000_000 {
            if settings.dieOnIdle { return .exitOnIdle(seconds: settings.idleSeconds) }
            state = .cheap
            target = 0
            resetSamples()
            return .wentCheap(reason: "idle: no request for more than \(settings.idleSeconds)s")
        }
        guard settings.isAdaptive, sample.starting == 0 else { return nil }
        switch settings.algorithm {
        case .spare:
            return spare(sample)
        case .backlog:
            return backlog(sample)
        case .manual:
            return nil
        }
    }

    /// Every serving worker busy for `cheaper-overload` samples: `cheaper-step` more.
    private mutating func spare(_ sample: ScalingSample) -> ScalingEvent? {
        if sample.serving > 0, sample.idle == 0 {
            idleSamples = 0
            overloadedSamples += 1
            guard overloadedSamples >= settings.cheaperOverload else { return nil }
            return grow(reason: "all \(sample.serving) workers busy for \(overloadedSamples)s")
        }
        overloadedSamples = 0
        return shrinkIfIdle(sample)
    }

    /// The kernel's accept queue longer than `cheaper-overload`: `cheaper-step` more, every sample.
    private mutating func backlog(_ sample: ScalingSample) -> ScalingEvent? {
        let waiting = sample.backlog ?? 0
        if waiting > settings.cheaperOverload {
            idleSamples = 0
            return grow(reason: "\(waiting) connections waiting in the backlog (cheaper-overload \(settings.cheaperOverload))")
        }
        guard waiting == 0 else {
            idleSamples = 0
            return nil
        }
        return shrinkIfIdle(sample)
    }

    private mutating func grow(reason: String) -> ScalingEvent? {
        overloadedSamples = 0
        guard target < settings.processes else { return nil }
        let from = target
        target = min(settings.processes, target + settings.cheaperStep)
        return .grew(from: from, to: target, reason: reason)
    }

    /// More than one idle worker for `cheaper-overload` samples: one fewer, down to `cheaper`.
    private mutating func shrinkIfIdle(_ sample: ScalingSample) -> ScalingEvent? {
        guard sample.idle > 1, target > settings.cheaper else {
            idleSamples = 0
            return nil
        }
        idleSamples += 1
        guard idleSamples >= settings.cheaperOverload else { return nil }
        idleSamples = 0
        let from = target
        target -= 1
        return .shrank(from: from, to: target, reason: "\(sample.idle) workers idle for \(settings.cheaperOverload)s")
    }

    private mutating func resetSamples() {
        overloadedSamples = 0
        idleSamples = 0
    }
}
