/// `liege --reload PIDFILE` / `liege --stop PIDFILE`: signal the master whose PID a pidfile holds.
public enum PidfileSignal {
    /// Reads `PID` from `path` and sends it `signal`. Throws a readable error for a missing or bad pidfile
    /// or a process that is gone.
    public static func send(_ signal: UnixSignal, toPidfile path: String) throws(SystemError) -> Int32 {
        let text = String(decoding: try Posix.readFile(path), as: UTF8.self)
        let digits = text.prefix { $0 != "\n" }.trimmingCharacters(in: " \t\r")
        guard let pid = Int32(digits), pid > 1 else { throw SystemError(call: "\(path) does not hold a process id", errno: 0) }
        guard try Processes.kill(pid, signal) else { throw SystemError(call: "no process \(pid) (from \(path))", errno: 0) }
        return pid
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
