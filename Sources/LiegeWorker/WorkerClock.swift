import LiegeHTTP
import LiegeSystem

/// Time as the worker needs it, with the per-second strings cached (one worker thread each).
final class WorkerClock {
    let pid: Int32
    private var cachedSecond = -1
    private var cachedHTTPDate = ""
    private var cachedLogTime = ""
    private var cachedCtime = ""

    init(pid: Int32) {
        self.pid = pid
    }

    func monotonicMicroseconds() -> Int { Int(LiegeSystem.monotonicMicroseconds()) }
    func epochSeconds() -> Int { wallClockSeconds() }

    func httpDate() -> String {
        refresh()
        return cachedHTTPDate
    }

    /// `21/Nov/2026:20:44:22 +0000`, nginx's $time_local.
    func logTime() -> String {
        refresh()
        return cachedLogTime
    }

    func ctime() -> String {
        refresh()
        return cachedCtime
    }

    private func refresh() {
        let now = wallClockSeconds()
        guard now != cachedSecond else { return }
        cachedSecond = now
        cachedHTTPDate = HTTPDate.format(epochSeconds: now)
        cachedLogTime = localTimeString(epochSeconds: now, format: "%d/%b/%Y:%H:%M:%S %z")
        cachedCtime = localTimeString(epochSeconds: now, format: "%a %b %e %H:%M:%S %Y")
    }
}
