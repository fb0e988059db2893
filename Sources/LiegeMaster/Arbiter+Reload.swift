import LiegeConfig
import LiegeSystem

/// Reload, kill then respawn (SPEC.md §5.1), carried out: `ReloadPlanner` decides; this builds the new
/// generation (config re-read and validated, sockets, log policy), starts the import check (a held worker,
/// or a preloader with `lazy-apps = false`), commits the master's set-up, and feeds the answers back.
/// Sockets stay open throughout.
extension Arbiter {
    /// A reload asked for while one runs is coalesced into one more (the strongest kind asked).
    func requestReload(_ kind: ReloadKind) {
        guard phase == .running else { return }
        follow(.requested(kind))
    }

    /// Tells the planner `event` and carries out what it decides, in order (answers go back at once).
    func follow(_ event: ReloadEvent) {
        for action in planner.handle(event, workers: workers.views, now: monotonicMicroseconds()) {
            carryOut(action)
        }
    }

    private func carryOut(_ action: ReloadAction) {
        switch action {
        case .prepare(let kind):
            follow(prepare(kind).map(ReloadEvent.prepared) ?? .prepareFailed)
        case .stageWorker(let slot, let number):
            follow(.staged(pid: generation(number).flatMap { spawn(id: slot, in: $0, held: true) }))
        case .commit(let number, let kind):
            if let generation = generation(number) { commit(generation, kind: kind) }
        case .stop(let pid, let plan, let reason):
            workers.stop(pid: pid, plan: plan, reason: reason)
        case .startHeld(let slot, let number):
            if let generation = generation(number) { spawn(id: slot, in: generation, held: true) }
        case .killPreloader(let pid):
            _ = try? Processes.killGroup(pid, .kill)
        case .abort(let number, let reason):
            if let reason { log.error("reload aborted: \(reason)") }
            if let number, number != current.number { pump.update(Self.logPolicy(current.settings)) }
        case .note(let text):
            log.info(text)
        }
    }

    func generation(_ number: Int) -> Generation? {
        generations.first { $0.number == number }
    }

    /// Builds the generation a reload of `kind` goes to, and starts its import check when that is a
    /// preloader; nil when it cannot (logged: nothing changes).
    private func prepare(_ kind: ReloadKind) -> NewGeneration? {
        let started = monotonicMicroseconds()
        var config = current.config
        // With preloading, workers and chain reloads fork again from the current preloader: no import, and so
        // no config re-read either (its workers get the config it imported the app with).
        let reusesPreloader = current.settings.preload && kind != .graceful && kind != .brutal(rereadConfig: true)
        if kind == .chain, reusesPreloader {
            log.info("chain reload with lazy-apps = false: the workers are forked again from the current preloader, "
                     + "the config is not re-read (a graceful reload imports new code)")
        }
        if kind.rereadsConfig, !reusesPreloader {
            do {
                config = try Config.load(arguments: current.config.arguments, environment: facts.environment,
                                         workingDirectory: facts.workingDirectory)
            } catch {
                log.error("reload aborted: the config is invalid, nothing changes:\n\(error.description)")
                return nil
            }
        }
        let settings = MasterSettings(config)
        if settings.name != current.settings.name { log.info("reload: the name stays \(current.settings.name)") }
        let generation: Generation
        do {
            let sockets = try resources.sockets.sockets(for: settings, log: log)
            generationCount += 1
            generation = try Generation(number: generationCount, config: config, settings: settings, sockets: sockets,
                                        baseEnvironment: facts.environment, previous: current)
        } catch let failure as SocketTable.Failure {
            log.error("reload aborted: \(failure.message); nothing changes")
            return nil
        } catch {
            log.error("reload aborted: \(error); nothing changes")
            return nil
        }
        generations.append(generation)
        EmperorLink.follow(generation.scoreboard)
        pump.update(Self.logPolicy(settings))
        reopenLog(reason: "reload", logFile: settings.logFile)
        log.info("reload (\(kind), generation \(generation.number)): "
                 + (kind.rereadsConfig && !reusesPreloader ? "config re-read in \((monotonicMicroseconds() - started) / 1000) ms"
                    : "config unchanged"))
        var check = ImportCheck.worker
        if reusesPreloader, handOverPreloader(to: generation) {
            check = .none
        } else if case .brutal = kind {
            check = .none
        } else if settings.preload, !reusesPreloader, let pid = startPreloader(for: generation) {
            check = .preloader(pid: pid)   // its import is the check
        }
        return NewGeneration(number: generation.number, kind: kind, processes: settings.processes,
                             mercySeconds: settings.workerReloadMercy, check: check)
    }

    /// The new generation passed its check (or needs none): from now on slots are filled from it, and the
    /// master's own set-up follows a re-read config.
    private func commit(_ generation: Generation, kind: ReloadKind) {
        let previous = current.settings
        current = generation
        history = [:]
        scaling.update(generation.settings.scaling)
        if kind.rereadsConfig {
            reloadAttached(generation)
            applyControls(from: previous, to: generation.settings)
        }
    }

    /// A reload that keeps the config and the code: the current preloader (or the reason the current
    /// generation is served lazily) now belongs to `generation`. False when there is none to hand over.
    private func handOverPreloader(to generation: Generation) -> Bool {
        if let reason = preload.lazyFallback[current.number] { preload.lazyFallback[generation.number] = reason }
        guard let index = preload.live(for: current) else { return false }
        preload.preloaders[index].generation = generation
        log.info("reload: workers are forked again from the preloader (pid \(preload.preloaders[index].pid)), no import")
        return preload.lazyFallback[generation.number] == nil
    }

    static func logPolicy(_ settings: MasterSettings) -> LogPump.Policy {
        LogPump.Policy(path: settings.logFile, dateFormat: settings.logDate, maxSize: settings.logMaxSize,
                       backupName: settings.logBackupName)
    }
}
