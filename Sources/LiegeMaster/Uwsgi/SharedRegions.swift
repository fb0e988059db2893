import LiegeConfig
import LiegeSystem

/// The shared memory a generation's processes get beside the scoreboard: the user locks and one region per
/// `cache2` (passed after the sockets, listed in `LIEGE_SHARED_FDS`). A reload keeps each cache whose line
/// did not change, items and all; a changed one starts empty (a `store` file is made anew beside the old
/// one, which the old workers keep mapped until they go).
final class SharedRegions {
    let locks: SharedLocks
    let caches: [(line: CacheLine, cache: SharedCache)]

    private init(locks: SharedLocks, caches: [(line: CacheLine, cache: SharedCache)]) {
        self.locks = locks
        self.caches = caches
    }

    static func make(_ settings: UwsgiAPISettings, previous: SharedRegions?) throws(SystemError) -> SharedRegions {
        let locks: SharedLocks
        if let kept = previous?.locks, kept.count == settings.locks {
            locks = kept
        } else {
            locks = try SharedLocks.create(count: settings.locks)
        }
        var caches: [(line: CacheLine, cache: SharedCache)] = []
        for line in settings.caches {
            if let kept = previous?.caches.first(where: { $0.line == line }) {
                caches.append(kept)
            } else {
                caches.append((line, try SharedCache.create(line.geometry, store: line.store, fresh: previous != nil)))
            }
        }
        return SharedRegions(locks: locks, caches: caches)
    }

    /// In the order the processes get them.
    var descriptors: [Int32] { [locks.region.fd] + caches.map(\.cache.region.fd) }

    /// Writes the `store` caches to their files (at the master's exit).
    func sync() {
        for (_, cache) in caches { cache.sync() }
    }
}
