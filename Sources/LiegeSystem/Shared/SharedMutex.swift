import Glibc

/// A pthread mutex that lives in memory shared by several processes (`PTHREAD_PROCESS_SHARED`) and is
/// robust: when its owner dies holding it (a worker killed by harakiri), the next `lock` gets it and
/// learns that the data it guards may be half-changed.
public struct SharedMutex: @unchecked Sendable {
    /// Bytes to reserve for one mutex in a shared region (a `pthread_mutex_t` is 40 on x86-64 and arm64).
    public static let reservedBytes = 64

    private let pointer: UnsafeMutablePointer<pthread_mutex_t>

    /// The mutex at `address` (at least `reservedBytes`, 8-byte aligned, inside a MAP_SHARED mapping).
    public init(at address: UnsafeMutableRawPointer) {
        pointer = address.assumingMemoryBound(to: pthread_mutex_t.self)
    }

    /// Initialises the mutex in place. Only the process that creates the region calls this, before any
    /// other process maps it.
    public func initialize() throws(SystemError) {
        var attributes = pthread_mutexattr_t()
        try check("pthread_mutexattr_init", pthread_mutexattr_init(&attributes))
        defer { pthread_mutexattr_destroy(&attributes) }
        try check("pthread_mutexattr_setpshared", pthread_mutexattr_setpshared(&attributes, Int32(PTHREAD_PROCESS_SHARED)))
        try check("pthread_mutexattr_setrobust", pthread_mutexattr_setrobust(&attributes, Int32(PTHREAD_MUTEX_ROBUST)))
        try check("pthread_mutex_init", pthread_mutex_init(pointer, &attributes))
    }

    /// Takes the mutex, waiting as long as it takes. Returns true when the previous owner died holding
    /// it (the mutex is made consistent again; the caller must repair or reset what it guards).
    @discardableResult
    public func lock() -> Bool {
        let result = pthread_mutex_lock(pointer)
        guard result == EOWNERDEAD else { return false }
        pthread_mutex_consistent(pointer)
        return true
    }

    /// Takes the mutex only if it is free now: nil when it is held, else whether the previous owner died.
    public func tryLock() -> Bool? {
        let result = pthread_mutex_trylock(pointer)
        if result == EBUSY { return nil }
        guard result == EOWNERDEAD else { return false }
        pthread_mutex_consistent(pointer)
        return true
    }

    /// Releases the mutex; false when this thread does not hold it.
    @discardableResult
    public func unlock() -> Bool {
        pthread_mutex_unlock(pointer) == 0
    }

    private func check(_ call: String, _ result: Int32) throws(SystemError) {
        guard result == 0 else { throw SystemError(call: call, errno: result) }
    }
}
