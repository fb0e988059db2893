import Dispatch
import LiegeSystem

/// The master FIFO and the touch-file watchers (SPEC.md §5.4): set up at start, changed at a reload that
/// re-read the config to follow what changed, and only that (an unchanged FIFO stays open, an unchanged
/// watcher keeps its baseline). What they trigger is the arbiter's business (`onCommand`, `onTouch`).
/// Lives on the master's queue.
final class MasterControls: @unchecked Sendable {
    private let queue: DispatchQueue
    private let log: Logger
    private let onCommand: @Sendable (UInt8) -> Void
    private let onTouch: @Sendable (TouchOption) -> Void
    private var fifo: ControlFifo?
    private var watchers: [TouchOption: FileWatcher] = [:]

    init(queue: DispatchQueue, log: Logger, onCommand: @escaping @Sendable (UInt8) -> Void,
         onTouch: @escaping @Sendable (TouchOption) -> Void) {
        self.queue = queue
        self.log = log
        self.onCommand = onCommand
        self.onTouch = onTouch
    }

    func start(_ settings: MasterSettings) {
        if let path = settings.masterFifo { fifo = openFifo(path) }
        for option in TouchOption.allCases { watch(option, option.paths(in: settings)) }
    }

    /// A reload committed with `settings`: the FIFO and watchers named in `changes` are made anew.
    /// A FIFO that cannot be made at its new path leaves the old one working.
    func apply(_ changes: ControlChanges, _ settings: MasterSettings) {
        for option in changes.touchOptions {
            let paths = option.paths(in: settings)
            log.info("reload: \(option.rawValue) " + (paths.isEmpty ? "off" : "now watches \(paths.joined(separator: ", "))"))
            watch(option, paths)
        }
        guard changes.masterFifo else { return }
        let new = settings.masterFifo.flatMap { openFifo($0) }
        if new == nil, settings.masterFifo != nil, let fifo {
            log.info("reload: master-fifo \(fifo.path) stays in use")
            return
        }
        if let old = fifo {   // one we made: it goes with its file
            old.close(remove: true)
            log.info("reload: master-fifo \(old.path) removed")
        }
        fifo = new
    }

    /// A FIFO or a touch file is set up: the heartbeat's safety net below is wanted.
    var needsRescans: Bool { fifo != nil || !watchers.isEmpty }

    /// The heartbeat's safety net: a look at every touch file, and a removed FIFO made again.
    func rescan() {
        watchers.values.forEach { $0.rescanUnlessPending() }
        fifo?.ensurePresent()
    }

    func stop(removeFifo: Bool) {
        fifo?.close(remove: removeFifo)
        fifo = nil
        watchers.values.forEach { $0.cancel() }
        watchers.removeAll()
    }

    private func openFifo(_ path: String) -> ControlFifo? {
        do {
            let fifo = try ControlFifo(path: path, queue: queue, handler: onCommand)
            log.info("master-fifo \(path) ready")
            return fifo
        } catch {
            log.error("cannot create master-fifo \(path): \(error)")
            return nil
        }
    }

    private func watch(_ option: TouchOption, _ paths: [String]) {
        watchers.removeValue(forKey: option)?.cancel()
        guard !paths.isEmpty else { return }
        do {
            let watcher = try FileWatcher(paths: paths, queue: queue) { [unowned self] changes in
                var fire = false
                for (path, change) in changes {
                    if change == .removed {
                        log.info("\(option.rawValue): \(path) was removed (nothing to do)")
                    } else {
                        log.info("\(option.rawValue): \(path) \(change == .appeared ? "appeared" : "changed")")
                        fire = true
                    }
                }
                if fire { onTouch(option) }
            }
            for path in watcher.missing { log.info("warning: \(option.rawValue) file \(path) does not exist (yet)") }
            watchers[option] = watcher
        } catch {
            log.error("cannot watch \(option.rawValue) files: \(error)")
        }
    }
}
