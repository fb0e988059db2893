import LiegePython
import LiegeSystem
import Synchronization

/// The `uwsgi` module's services in a worker, preloader or spooler: the shared regions the master passed
/// (`LIEGE_SHARED_FDS`: the locks and each cache, which say what they are), the scoreboard on fd 4, and in a
/// spooler the wait for new tasks.
final class UwsgiHost: UwsgiServices {
    private let caches: [SharedCacheAdapter]
    private let locks: SharedLocks?
    private let scoreboard = Mutex<Scoreboard?>(nil)
    private let spoolWatch: SpoolWatch?

    init(environment: [String: String], spoolWatch: SpoolWatch? = nil) {
        var caches: [SharedCacheAdapter] = []
        var locks: SharedLocks?
        for text in (environment[WorkerContract.sharedFDsVariable] ?? "").split(separator: ",") {
            guard let fd = Int32(text), let region = try? SharedRegion.attach(fd: fd) else { continue }
            if let cache = SharedCache.attach(region) {
                caches.append(SharedCacheAdapter(cache))
            } else if let found = SharedLocks.attach(region) {
                locks = found
            }
        }
        self.caches = caches
        self.locks = locks
        self.spoolWatch = spoolWatch
    }

    var cacheNames: [String] { caches.map(\.cache.name) }

    func cache(named name: String?) -> UwsgiCache? {
        guard let name, !name.isEmpty else { return caches.first }
        return caches.first { $0.cache.name == name }
    }

    func lock(_ index: Int) -> Bool {
        guard let locks, index >= 0, index < locks.count else { return false }
        locks.mutex(index).lock()
        return true
    }

    func unlock(_ index: Int) -> Bool {
        guard let locks, index >= 0, index < locks.count else { return false }
        return locks.mutex(index).unlock()
    }

    func isLocked(_ index: Int) -> Bool? {
        guard let locks, index >= 0, index < locks.count else { return nil }
        let mutex = locks.mutex(index)
        guard mutex.tryLock() != nil else { return true }
        mutex.unlock()
        return false
    }

    func totalRequests() -> Int {
        withScoreboard { board in board.slots.reduce(0) { $0 + $1.requests } }
    }

    func firstServingWorker() -> Int {
        withScoreboard { board in (1...board.slotCount).first { [.ready, .busy].contains(board[$0].status) } ?? 0 }
    }

    func waitForTasks(milliseconds: Int) -> Bool {
        spoolWatch?.wait(milliseconds: milliseconds) ?? true
    }

    /// A number read from the scoreboard on fd 4 (mapped on first use; 0 without one).
    private func withScoreboard(_ body: (Scoreboard) -> Int) -> Int {
        scoreboard.withLock { board in
            if board == nil { board = try? Scoreboard.attach(fd: WorkerContract.scoreboardFD) }
            return board.map(body) ?? 0
        }
    }
}

/// A `SharedCache` as the `uwsgi` module sees it (the clock is the wall clock).
final class SharedCacheAdapter: UwsgiCache {
    let cache: SharedCache

    init(_ cache: SharedCache) {
        self.cache = cache
    }

    func get(_ key: UnsafeRawBufferPointer) -> [UInt8]? { cache.get(key) }
    func exists(_ key: UnsafeRawBufferPointer) -> Bool { cache.exists(key) }
    func set(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, expires: Int64, update: Bool) -> Bool {
        cache.set(key, value, expires: expires, update: update)
    }
    func updateNumber(_ key: UnsafeRawBufferPointer, expires: Int64, _ operation: (Int64) -> Int64?) -> Bool {
        cache.updateNumber(key, expires: expires, operation)
    }
    func delete(_ key: UnsafeRawBufferPointer) -> Bool { cache.delete(key) }
    func clear() { cache.clear() }
    func keys() -> [[UInt8]] { cache.keys() }
}
