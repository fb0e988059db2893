import LiegeConfig
import LiegeSystem

/// The periodic checks of smart daemons (their pidfile) and of `touch` files.
extension DaemonSupervisor {
    /// A live pid in a smart daemon's pidfile at start is adopted instead of running its command.
    func adopt(_ index: Int) -> Bool {
        guard let pidfile = records[index].line.pidfile, let pid = Self.livePid(in: pidfile) else { return false }
        records[index].pid = pid
        records[index].pidIsChild = false
        records[index].startedAt = monotonicMicroseconds() - DaemonThrottle.healthyMicros
        log.info("\(records[index].prefix) adopted pid \(pid) from \(pidfile)")
        return true
    }

    /// Smart daemons: the pid in the pidfile must be alive; a launch gets `graceChecks` checks to write it.
    func checkPidfile(_ index: Int, now: Int64) {
        let record = records[index]
        guard record.stop == nil, let pidfile = record.line.pidfile else { return }
        if record.line.kind == .detached {
            if let pid = record.pid, !record.pidIsChild, !Processes.exists(pid) {
                log.info("\(record.prefix) pid \(pid) is gone")
                gone(index, now: now)
            }
            return
        }
        if let pid = Self.livePid(in: pidfile) {
            if record.pid != pid {
                log.info("\(record.prefix) running with pid \(pid) (from \(pidfile))")
                records[index].pid = pid
                records[index].pidIsChild = pid == record.launcherPid
            }
            records[index].graceChecksLeft = 0
            return
        }
        if let pid = record.pid, pid != record.launcherPid {
            log.info("\(record.prefix) pid \(pid) is gone")
            records[index].graceChecksLeft = 0
            gone(index, now: now)
        } else if record.graceChecksLeft > 0 {
            records[index].graceChecksLeft -= 1
            if records[index].graceChecksLeft == 0, record.launcherPid == nil {
                log.info("\(record.prefix) no live pid in \(pidfile) after \(record.line.graceChecks) checks: starting it again")
                gone(index, now: now)
            }
        }
    }

    /// A changed `touch` file restarts the daemon (stop signal, then a start once it is gone).
    func checkTouch(_ index: Int, now: Int64) {
        let line = records[index].line
        guard !line.touch.isEmpty else { return }
        let stamps = line.touch.map(stamp)
        defer { records[index].touchStamps = stamps }
        guard stamps != records[index].touchStamps, let changed = line.touch.indices.first(where: {
            stamps[$0] != records[index].touchStamps[$0] && stamps[$0] != nil
        }) else { return }
        log.info("\(records[index].prefix) \(line.touch[changed]) touched: restarting")
        guard records[index].pid != nil else {
            records[index].notBefore = now
            return
        }
        records[index].stop = StopProgress(plan: .graceful(mercySeconds: mercy))
        records[index].stopReason = .restart
    }

    func stamp(_ path: String) -> FileInfo? {
        (try? Posix.fileInfo(path: path)) ?? nil
    }

    /// The pid written in `pidfile`, when that process exists.
    static func livePid(in pidfile: String) -> Int32? {
        guard let bytes = try? Posix.readFile(pidfile) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).first ?? ""
        guard let pid = Int32(text), pid > 1, Processes.exists(pid) else { return nil }
        return pid
    }
}

extension DaemonSupervisor {
    /// A reload changed the daemon lines: smart daemons whose line is unchanged keep their record (and
    /// process); every other old daemon is retired (a dumb one is stopped first; the new dumb daemons start
    /// once the retired ones are gone); the new lines get fresh records.
    func replace(with lines: [DaemonLine], now: Int64) {
        var old = records.filter { !$0.retired }
        var fresh: [DaemonRecord] = records.filter(\.retired)
        for (offset, line) in lines.enumerated() {
            if line.kind != .foreground, let match = old.firstIndex(where: { $0.line == line }) {
                var kept = old.remove(at: match)
                kept.number = offset + 1
                fresh.append(kept)
            } else {
                var record = DaemonRecord(number: offset + 1, line: line)
                record.touchStamps = line.touch.map(stamp)
                fresh.append(record)
            }
        }
        for var record in old {
            record.retired = true
            if record.isSmart {
                log.info("\(record.prefix) no longer configured: left running\(record.pid.map { " (pid \($0))" } ?? "")")
                continue
            }
            log.info("\(record.prefix) no longer configured: stopping it")
            fresh.append(record)
        }
        records = fresh
        for index in records.indices where records[index].retired && records[index].pid != nil && records[index].stop == nil {
            records[index].stop = StopProgress(plan: .graceful(mercySeconds: mercy))
            records[index].stopReason = .shutdown
            advanceStop(index, now: now)
        }
    }
}
