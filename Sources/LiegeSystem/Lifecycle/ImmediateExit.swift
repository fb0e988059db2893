import Glibc

/// Ends the process at once with `status` (_exit: no atexit handlers, no stdio flush), safe while other
/// threads (and an embedded interpreter) are still running: a worker aborting on harakiri.
public func exitImmediately(_ status: Int32) -> Never {
    _exit(status)
}

/// Sleeps the calling thread for `milliseconds`.
public func sleepMilliseconds(_ milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR {
        request = remaining
    }
}
