import Glibc

/// CLOCK_MONOTONIC in microseconds: for durations and deadlines, comparable across processes.
public func monotonicMicroseconds() -> Int64 {
    microseconds(CLOCK_MONOTONIC)
}

/// Wall clock, whole seconds since the epoch: for log stamps and cron only.
public func wallClockSeconds() -> Int {
    Int(microseconds(CLOCK_REALTIME) / 1_000_000)
}

/// Wall clock in microseconds since the epoch (request log times).
public func wallClockMicroseconds() -> Int64 {
    microseconds(CLOCK_REALTIME)
}

private func microseconds(_ clock: clockid_t) -> Int64 {
    var now = timespec()
    clock_gettime(clock, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}

/// Resident set size of process `pid` in KB (from /proc/PID/statm), nil when it is gone.
public func residentSetKB(_ pid: Int32) -> Int? {
    guard let bytes = try? Posix.readFile("/proc/\(pid)/statm") else { return nil }
    let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}
