import Dispatch
import LiegeSystem

/// Watching: inotify on every vassal directory (and, for symlinked vassals, on the directory of each
/// link's target); any event schedules one rescan 100 ms later; the rescan's diff drives the vassals.
extension Governor {
    static let debounceMilliseconds = 100

    func startWatching() {
        do {
            let watcher = try Inotify()
            inotify = watcher
            watcher.start(on: queue) { [self] events in inotifyReadable(events) }
        } catch {
            log.error("inotify unavailable (\(error)): rescanning every \(settings.rescanSeconds) s only")
        }
    }

    private func inotifyReadable(_ events: [InotifyEvent]) {
        for event in events where event.isWatchGone {
            if let path = watchByPath.first(where: { $0.value == event.watch })?.key { watchByPath[path] = nil }
        }
        guard !events.isEmpty, !rescanPending, phase == .running else { return }
        rescanPending = true
        queue.asyncAfter(deadline: .now() + .milliseconds(Self.debounceMilliseconds)) { [self] in
            rescanPending = false
            rescan()
            tick()
        }
    }

    /// Adds watches for the directories that matter now and drops the others.
    private func updateWatches(_ result: ScanResult) {
        guard let inotify else { return }
        var wanted = Set(settings.sources.flatMap { $0.directories() })
        if settings.followLinks {
            for file in result.files.values where file.link != nil {
                if let real = Posix.realPath(file.path), let slash = real.lastIndex(of: "/") {
                    wanted.insert(slash == real.startIndex ? "/" : String(real[..<slash]))
                }
            }
        }
        for path in watchByPath.keys where !wanted.contains(path) {
            if let watch = watchByPath[path] { inotify.unwatch(watch) }
            watchByPath[path] = nil
        }
        for path in wanted.sorted() where watchByPath[path] == nil {
            if let watch = try? inotify.watch(path) { watchByPath[path] = watch }
        }
    }

    /// Scans every source and acts on what changed since the last scan.
    func rescan() {
        guard phase == .running else { return }
        let result = scanner.scan(previous: lastScan)
        updateWatches(result)
        var problems = Set<String>()
        for directory in result.unreadable { problems.insert("cannot read vassal directory \(directory)") }
        for conflict in result.conflicts { problems.insert(conflict) }
        for problem in problems.subtracting(reportedProblems).sorted() { log.error(problem) }
        reportedProblems = problems
        let diff = ScanDiff(from: lastScan, to: result.files)
        lastScan = result.files
        for file in diff.removed { fileRemoved(file) }
        advanceStops()   // SIGTERM now, so a renamed vassal's port is released before its new name starts
        for file in diff.added { fileAdded(file) }
        for file in diff.changed { fileChanged(file) }
    }

    private func fileAdded(_ file: VassalFile) {
        let name = file.fileName
        if var existing = vassals[name] {
            // Back before its old master finished stopping: start it again once that one is gone.
            existing.file = file
            existing.removed = false
            existing.restartAfterStop = true
            vassals[name] = existing
            return
        }
        var record = VassalRecord(file: file)
        record.lastModifiedWall = wallClockSeconds()
        vassals[name] = record
        log.info("vassal \(file.name) (\(file.path)) found")
        start(name, reason: "new file")
    }

    private func fileChanged(_ file: VassalFile) {
        let name = file.fileName
        guard var record = vassals[name] else { return fileAdded(file) }
        let ownerChanged = settings.tyrant && record.file.owner.map { [$0.uid, $0.gid] } != file.owner.map { [$0.uid, $0.gid] }
        record.file = file
        record.lastModifiedWall = wallClockSeconds()
        record.failures = 0
        vassals[name] = record
        if ownerChanged, record.isAlive {
            log.info("vassal \(record.name): file owner changed; stopping it")
            vassals[name]?.restartAfterStop = true
            stop(name, immediate: false)
            return
        }
        switch record.state {
        case .starting, .running, .reloading:
            reloadIfRunning(name, reason: "file changed")
        case .stopping:
            if record.removed == false { vassals[name]?.restartAfterStop = true }
        case .backoff, .invalid, .onDemand:
            vassals[name]?.respawnAt = nil
            closeOnDemand(name) { [self] in
                start(name, reason: "file changed")
                tick()
            }
        }
    }

    private func fileRemoved(_ file: VassalFile) {
        let name = file.fileName
        guard let record = vassals[name] else { return }
        log.info("vassal \(record.name) (\(file.path)) removed")
        vassals[name]?.removed = true
        vassals[name]?.restartAfterStop = false
        if record.isAlive {
            if record.stop == nil { stop(name, immediate: false) }
        } else {
            closeOnDemand(name)
            vassals[name] = nil
        }
    }
}
