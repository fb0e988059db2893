import Glibc

/// Small process facilities the worker needs at start.
public enum WorkerSupport {
    /// Reads a whole file from offset 0 with pread, leaving the (shared) file offset alone: the config
    /// memfd is one open file shared by the master and every worker.
    public static func readShared(_ fd: Int32) throws(SystemError) -> [UInt8] {
        try Posix.readAll(fd)
    }

    /// chdir.
    public static func changeDirectory(_ path: String) throws(SystemError) {
        if chdir(path) != 0 { throw SystemError(call: "chdir \(path)", errno: errno) }
    }

    /// Starts a detached-from-nothing thread (joined with `JoinableThread.join`).
    public static func startThread(_ body: @escaping @Sendable () -> Void) -> JoinableThread {
        JoinableThread(body)
    }
}

/// A pthread running one closure; `join()` waits for it.
public final class JoinableThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let box: Box

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    init(_ body: @escaping @Sendable () -> Void) {
        box = Box(body)
        let context = Unmanaged.passRetained(box).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_create(&handle, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        pthread_attr_destroy(&attributes)
    }

    public func join() {
        pthread_join(handle, nil)
    }
}

/// Writes bytes to fd 2 in one go (retrying short writes): request log batches.
public func writeStandardError(bytes: [UInt8]) {
    bytes.withUnsafeBytes { try? Posix.writeAll(2, $0) }
}

/// Sleeps the calling thread.
public func sleepSeconds(_ seconds: Int) {
    var request = timespec(tv_sec: seconds, tv_nsec: 0)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR {
        request = remaining
    }
}
