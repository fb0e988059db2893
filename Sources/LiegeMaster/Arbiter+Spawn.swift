import LiegeSystem

/// Starting a worker into a slot, and letting a held one accept.
extension Arbiter {
    /// Starts worker `id` of `generation` (forked from its preloader when it has a ready one); its pid, or
    /// nil when it did not start (logged, back-off set) or waits for its preloader to finish importing.
    @discardableResult
    func spawn(id: Int, in generation: Generation, held: Bool) -> Int32? {
        let route = preload.route(for: generation)
        if route == .wait { return nil }
        let now = monotonicMicroseconds()
        var record = history[id] ?? SlotHistory()
        // The slot is prepared before the process exists: a fast worker may report `ready` before
        // posix_spawn even returns here, and that must not be overwritten (single writer per field).
        let slot = generation.scoreboard[id]
        slot.resetForNewProcess()
        slot.status = .starting
        slot.spawnedMicros = now
        slot.respawns = record.spawns
        slot.generation = generation.number
        var launched: (pid: Int32, lifeline: Int32)?
        if case .fork(let index) = route { launched = forkWorker(id: id, in: generation, held: held, preloader: index) }
        let forked = launched != nil
        if launched == nil {
            do {
                launched = try launcher.launch(id: id, generation: generation, held: held)
            } catch {
                slot.resetForNewProcess()
                log.error("cannot spawn worker \(id): \(error)")
                if !everSpawned {
                    shutDown(graceful: false, exitCode: 1)
                } else {
                    record.quickDeaths += 1
                    let delay = max(1, backoff.delaySeconds(afterQuickDeaths: record.quickDeaths))
                    record.respawnNotBefore = now + Int64(delay) * 1_000_000
                    history[id] = record
                    log.info("respawn of worker \(id) delayed \(delay)s")
                }
                return nil
            }
        }
        guard let launched else { return nil }
        slot.pid = launched.pid
        everSpawned = true
        record.spawns += 1
        history[id] = record
        workers.add(WorkerRecord(id: id, pid: launched.pid, lifeline: launched.lifeline, generation: generation,
                                    spawnedAt: now, held: held))
        log.info("\(forked ? "forked" : "spawned") worker \(id) (pid \(launched.pid))"
                 + (held ? forked ? ", held until its slot is free" : ", loading the app before it accepts" : ""))
        return launched.pid
    }

    /// A held worker may accept now (`g` on its lifeline).
    func release(_ worker: WorkerRecord) {
        if workers.release(pid: worker.pid) { log.info("worker \(worker.id) (pid \(worker.pid)) accepting") }
    }
}
