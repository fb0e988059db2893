import LiegeConfig
import LiegeSystem

/// What the master opens before it spawns anyone and holds for its whole life: the log file, the
/// listening sockets and the pidfiles; then it drops privileges (SPEC.md §5.4 order: bind, `pidfile`,
/// `hook-as-root`, uid/gid, `pidfile2`, `logto2`, `hook-as-user`). `open` either returns all of it or leaves nothing behind.
final class MasterResources: @unchecked Sendable {
    let sockets = SocketTable()
    private var pidfiles: [String] = []

    /// A start-up failure, already phrased for the log.
    struct Failure: Error {
        var message: String
    }

    static func open(_ settings: MasterSettings, hooks: HookPlan = HookPlan(), log: Logger) throws(Failure) -> MasterResources {
        let resources = MasterResources()
        do {
            try resources.openAll(settings, hooks: hooks, log: log)
        } catch {
            resources.close(vacuum: true)
            throw error
        }
        return resources
    }

    private func openAll(_ settings: MasterSettings, hooks: HookPlan, log: Logger) throws(Failure) {
        if let path = settings.logto {
            do { try Posix.openLogFile(path) } catch { throw Failure(message: "cannot open logto \(path): \(error)") }
        }
        guard !settings.listeners.isEmpty else { throw Failure(message: "no socket or http-socket configured") }
        do {
            _ = try sockets.sockets(for: settings, log: log)
        } catch {
            throw Failure(message: error.message)
        }
        if let path = settings.pidfile { try writePidfile(path) }
        if let failure = hooks.run(.asRoot, log: log) { throw Failure(message: failure) }
        let drop: PrivilegeDrop
        do {
            drop = try PrivilegeDrop(user: settings.uid, group: settings.gid)
        } catch {
            throw Failure(message: "cannot drop privileges: \(error)")
        }
        if drop.isEmpty {
            if PrivilegeDrop.runningAsRoot {
                log.info("warning: running as root without uid: the app can do anything on this machine (set uid and gid)")
            }
        } else {
            do { try drop.apply() } catch { throw Failure(message: "cannot drop privileges: \(error)") }
            log.info("dropped privileges to uid \(settings.uid ?? "-") gid \(settings.gid ?? "-")")
        }
        if let path = settings.pidfile2 { try writePidfile(path) }
        if let path = settings.logto2 {
            do { try Posix.openLogFile(path) } catch { throw Failure(message: "cannot open logto2 \(path): \(error)") }
        }
        if let failure = hooks.run(.asUser, log: log) { throw Failure(message: failure) }
    }

    private func writePidfile(_ path: String) throws(Failure) {
        do { try Posix.writePidfile(path, pid: Posix.processID) } catch { throw Failure(message: "cannot write pidfile: \(error)") }
        if !pidfiles.contains(path) { pidfiles.append(path) }
    }

    /// fifo `P`: writes every pidfile again.
    func rewritePidfiles(log: Logger) {
        for path in pidfiles {
            do { try Posix.writePidfile(path, pid: Posix.processID) } catch { log.error("cannot rewrite \(path): \(error)") }
        }
    }

    /// A reload changed `pidfile` or `pidfile2`: new paths are written, dropped ones we wrote removed
    /// (if they still hold our PID). Failures are logged: the master runs on.
    func updatePidfiles(write: [String], remove: [String], log: Logger) {
        for path in remove where pidfiles.contains(path) {
            pidfiles.removeAll { $0 == path }
            guard (try? Posix.readFile(path)) == Array("\(Posix.processID)\n".utf8) else { continue }
            do {
                try Posix.removeFile(path)
                log.info("reload: pidfile \(path) removed")
            } catch {
                log.error("reload: cannot remove pidfile \(path): \(error)")
            }
        }
        for path in write {
            do {
                try writePidfile(path)
                log.info("reload: pidfile \(path) written")
            } catch {
                log.error("reload: \(error.message)")
            }
        }
    }

    /// Closes everything; with `vacuum`, also removes the unix socket files and the pidfiles we made.
    func close(vacuum: Bool) {
        sockets.closeAll(vacuum: vacuum)
        if vacuum { for path in pidfiles { try? Posix.removeFile(path) } }
        pidfiles.removeAll()
    }
}
