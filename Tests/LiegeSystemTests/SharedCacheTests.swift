import Testing
@testable import LiegeSystem

@Suite struct SharedCacheTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func set(_ cache: SharedCache, _ key: String, _ value: String, expires: Int64 = 0, update: Bool = false,
                     now: Int64 = 1000) -> Bool {
        bytes(key).withUnsafeBytes { k in bytes(value).withUnsafeBytes { v in cache.set(k, v, expires: expires, update: update, now: now) } }
    }

    private func get(_ cache: SharedCache, _ key: String, now: Int64 = 1000) -> String? {
        bytes(key).withUnsafeBytes { cache.get($0, now: now) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private func delete(_ cache: SharedCache, _ key: String) -> Bool {
        bytes(key).withUnsafeBytes { cache.delete($0) }
    }

    @Test func setGetUpdateDelete() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 4, blockSize: 16, keySize: 8))
        #expect(set(cache, "a", "one"))
        #expect(get(cache, "a") == "one")
        #expect(!set(cache, "a", "two"), "set leaves an existing key alone")
        #expect(set(cache, "a", "two", update: true))
        #expect(get(cache, "a") == "two")
        #expect(!set(cache, "b", String(repeating: "x", count: 17)), "values past blocksize are refused")
        #expect(!set(cache, "toolongkey", "v"), "keys past keysize are refused")
        #expect(!set(cache, "b", ""), "empty values are refused")
        #expect(delete(cache, "a"))
        #expect(!delete(cache, "a"))
        #expect(get(cache, "a") == nil)
        #expect(cache.count == 0)
    }

    @Test func fullCacheRefusesNewKeysUntilOneGoes() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 3, blockSize: 8, keySize: 8))
        for key in ["a", "b", "c"] { #expect(set(cache, key, key)) }
        #expect(!set(cache, "d", "d"))
        #expect(delete(cache, "b"))
        #expect(set(cache, "d", "d"))
        #expect(Set(cache.keys(now: 1000).map { String(decoding: $0, as: UTF8.self) }) == ["a", "c", "d"])
    }

    @Test func expiredItemsReadAsMissingAndMakeRoom() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 2, blockSize: 8, keySize: 8))
        #expect(set(cache, "a", "1", expires: 10, now: 1000))
        #expect(set(cache, "b", "2", now: 1000))
        #expect(get(cache, "a", now: 1009) == "1")
        #expect(!set(cache, "c", "3", now: 1009))
        #expect(set(cache, "c", "3", now: 1010), "the expired item is swept to make room")
        #expect(get(cache, "a", now: 1010) == nil)
        #expect(get(cache, "b", now: 5000) == "2")
    }

    @Test func leastRecentlyUsedIsEvicted() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 2, blockSize: 8, keySize: 8, leastRecentlyUsed: true))
        #expect(set(cache, "a", "1"))
        #expect(set(cache, "b", "2"))
        #expect(get(cache, "a") == "1")
        #expect(set(cache, "c", "3"))
        #expect(get(cache, "b") == nil)
        #expect(get(cache, "a") == "1")
        #expect(get(cache, "c") == "3")
    }

    @Test func numbersStartFromMathInitial() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 2, blockSize: 8, keySize: 8, mathInitial: 10))
        let key = bytes("n")
        #expect(key.withUnsafeBytes { cache.updateNumber($0, expires: 0) { $0 + 5 } })
        #expect(key.withUnsafeBytes { cache.updateNumber($0, expires: 0) { $0 * 2 } })
        let stored = key.withUnsafeBytes { cache.get($0) } ?? []
        #expect(stored.count == 8)
        #expect(stored.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } == 30)
        #expect(set(cache, "s", "text"))
        #expect(!bytes("s").withUnsafeBytes { cache.updateNumber($0, expires: 0) { $0 + 1 } })
    }

    @Test func manyKeysSurviveDeletionsInTheSameRun() throws {
        let cache = try SharedCache.create(CacheGeometry(name: "c", items: 200, blockSize: 8, keySize: 8))
        for index in 0..<200 { #expect(set(cache, "k\(index)", "\(index)")) }
        for index in stride(from: 0, to: 200, by: 3) { #expect(delete(cache, "k\(index)")) }
        for index in 0..<200 {
            #expect(get(cache, "k\(index)") == (index % 3 == 0 ? nil : "\(index)"))
        }
        cache.clear()
        #expect(cache.count == 0)
        #expect(get(cache, "k1") == nil)
    }

    @Test func attachedRegionSharesItems() throws {
        let master = try SharedCache.create(CacheGeometry(name: "shared", items: 4, blockSize: 16, keySize: 8))
        let duplicate = try Posix.duplicate(master.region.fd, atLeast: 10)
        let worker = try #require(SharedCache.attach(try SharedRegion.attach(fd: duplicate)))
        #expect(worker.name == "shared")
        #expect(worker.geometry == master.geometry)
        #expect(set(master, "k", "from master"))
        #expect(get(worker, "k") == "from master")
        #expect(SharedLocks.attach(worker.region) == nil)
    }

    @Test func storeFileKeepsItemsForTheSameShape() throws {
        let path = "/tmp/liege-cache-test-\(Posix.processID)"
        defer { try? Posix.removeFile(path) }
        let geometry = CacheGeometry(name: "stored", items: 4, blockSize: 16, keySize: 8)
        do {
            let first = try SharedCache.create(geometry, store: path)
            #expect(set(first, "k", "kept"))
        }
        let second = try SharedCache.create(geometry, store: path)
        #expect(get(second, "k") == "kept")
        var bigger = geometry
        bigger.items = 8
        let third = try SharedCache.create(bigger, store: path)
        #expect(get(third, "k") == nil)
    }

    @Test func locksAreShared() throws {
        let locks = try SharedLocks.create(count: 2)
        let duplicate = try Posix.duplicate(locks.region.fd, atLeast: 10)
        let attached = try #require(SharedLocks.attach(try SharedRegion.attach(fd: duplicate)))
        #expect(attached.count == 2)
        #expect(locks.mutex(1).lock() == false)
        #expect(attached.mutex(1).tryLock() == nil)
        #expect(attached.mutex(0).tryLock() == false)
        #expect(attached.mutex(0).unlock())
        #expect(locks.mutex(1).unlock())
    }
}
