import Glibc

/// One `cache2` cache, shared by every process of a vassal: a hash table of fixed-size items in a
/// `SharedRegion`, guarded by a robust process-shared mutex. The master creates it before any worker
/// exists (and keeps it across reloads while its `cache2` line stays the same); workers attach the region
/// they were given. Expired items are dropped when met (and swept when the cache is full).
///
/// Header (Int64 fields): 0 magic, 8 items, 16 blocksize, 24 keysize, 32 table size, 40 flags, 48 math
/// initial, 56 used, 64 free count, 72 use clock, 80 name length, 88 name (64 bytes), 192 the mutex.
/// Then the table (Int32 entry+1 per bucket, 0 empty; linear probing, backward-shift deletion), the
/// stack of free entries (Int32), and the entries: hash, key length, value length, expiry (epoch seconds,
/// 0 never), last use, key bytes, value bytes.
public final class SharedCache: @unchecked Sendable {
    static let magic: Int64 = 0x4C49_4547_4543_4131   // "LIEGECA1"

    public let region: SharedRegion
    public let geometry: CacheGeometry
    let base: UnsafeMutableRawPointer
    let tableMask: Int
    /// Set when a `lock` found the previous owner dead and the cache was emptied (for a log line).
    public private(set) var recoveries = 0

    private init(region: SharedRegion, geometry: CacheGeometry) {
        self.region = region
        self.geometry = geometry
        base = region.base
        tableMask = geometry.tableSize - 1
    }

    /// Master side: the cache for `geometry`, in memory or in the `store` file. A store file of the same
    /// shape keeps its items (unless `fresh`: a reload that changed the cache line makes a new file).
    public static func create(_ geometry: CacheGeometry, store: String? = nil, fresh: Bool = false) throws(SystemError) -> SharedCache {
        let region: SharedRegion
        if let store {
            region = try SharedRegion.file(path: store, size: geometry.regionSize, fresh: fresh)
        } else {
            region = try SharedRegion.anonymous(name: "liege-cache-\(geometry.name)", size: geometry.regionSize)
        }
        let cache = SharedCache(region: region, geometry: geometry)
        let keeps = store != nil && !fresh && cache.headerMatches()
        cache.writeHeader()
        try SharedMutex(at: cache.base + 192).initialize()
        if !keeps { cache.reset() }
        return cache
    }

    /// Worker side: the cache in a region the master passed, or nil when it holds something else.
    public static func attach(_ region: SharedRegion) -> SharedCache? {
        let base = region.base
        guard region.magic == magic else { return nil }
        func field(_ offset: Int) -> Int64 { base.load(fromByteOffset: offset, as: Int64.self) }
        let nameLength = Int(field(80))
        guard nameLength >= 0, nameLength <= CacheGeometry.nameLimit else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(start: base + 88, count: nameLength), as: UTF8.self)
        let flags = field(40)
        let geometry = CacheGeometry(name: name, items: Int(field(8)), blockSize: Int(field(16)), keySize: Int(field(24)),
                                     leastRecentlyUsed: flags & 1 != 0, noExpire: flags & 2 != 0, clearOnFull: flags & 4 != 0,
                                     mathInitial: field(48))
        guard geometry.items > 0, geometry.regionSize <= region.size, Int(field(32)) == geometry.tableSize else { return nil }
        return SharedCache(region: region, geometry: geometry)
    }

    public var name: String { geometry.name }

    /// Items stored now (expired ones not yet dropped count).
    public var count: Int {
        withLock { used }
    }

    // MARK: operations (each takes the lock)

    /// The value of `key`, or nil when it is missing or expired.
    public func get(_ key: UnsafeRawBufferPointer, now: Int64 = Int64(time(nil))) -> [UInt8]? {
        withLock {
            guard let entry = live(key, now: now)?.entry else { return nil }
            touch(entry)
            return Array(UnsafeRawBufferPointer(start: valuePointer(entry), count: valueLength(entry)))
        }
    }

    /// Whether `key` is present (and not expired).
    public func exists(_ key: UnsafeRawBufferPointer, now: Int64 = Int64(time(nil))) -> Bool {
        withLock { live(key, now: now) != nil }
    }

    /// Stores `value` under `key`; `expires` seconds from now (0: never). Without `update` an existing key is
    /// left alone and the answer is false (uWSGI's `cache_set`); false too when the key or value is empty or
    /// too big, or the cache is full.
    public func set(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, expires: Int64, update: Bool,
                    now: Int64 = Int64(time(nil))) -> Bool {
        guard !key.isEmpty, key.count <= geometry.keySize, !value.isEmpty, value.count <= geometry.blockSize else { return false }
        return withLock {
            let expiry = geometry.noExpire || expires <= 0 ? 0 : now + expires
            if let found = live(key, now: now)?.entry {
                guard update else { return false }
                store(found, value: value, expiry: expiry)
                return true
            }
            guard let entry = insert(key, now: now) else { return false }
            store(entry, value: value, expiry: expiry)
            return true
        }
    }

    /// Applies `operation` to the 8-byte number under `key` (`math_initial` when it is missing, then made
    /// with `expires`); false when the stored value is not a number or the cache is full.
    public func updateNumber(_ key: UnsafeRawBufferPointer, expires: Int64, now: Int64 = Int64(time(nil)),
                             _ operation: (Int64) -> Int64?) -> Bool {
        guard !key.isEmpty, key.count <= geometry.keySize, geometry.blockSize >= 8 else { return false }
        return withLock {
            if let entry = live(key, now: now)?.entry {
                guard valueLength(entry) == 8, let next = operation(valuePointer(entry).loadUnaligned(as: Int64.self)) else { return false }
                valuePointer(entry).storeBytes(of: next, as: Int64.self)
                touch(entry)
                return true
            }
            guard let next = operation(geometry.mathInitial), let entry = insert(key, now: now) else { return false }
            let expiry = geometry.noExpire || expires <= 0 ? 0 : now + expires
            withUnsafeBytes(of: next) { store(entry, value: $0, expiry: expiry) }
            return true
        }
    }

    /// Removes `key`; false when it was not there.
    public func delete(_ key: UnsafeRawBufferPointer) -> Bool {
        withLock {
            guard let found = find(key, hash: Self.hash(key)), let entry = found.entry else { return false }
            remove(at: found.position, entry: entry)
            return true
        }
    }

    /// Removes every item.
    public func clear() {
        withLock { reset() }
    }

    /// Every live key, in table order.
    public func keys(now: Int64 = Int64(time(nil))) -> [[UInt8]] {
        withLock {
            usedEntries().compactMap { entry in
                isExpired(entry, now: now) ? nil : Array(UnsafeRawBufferPointer(start: keyPointer(entry), count: keyLength(entry)))
            }
        }
    }

    /// Writes a `store` cache to its file.
    public func sync() {
        region.sync()
    }

    // MARK: locking

    func withLock<T>(_ body: () -> T) -> T {
        let mutex = SharedMutex(at: base + 192)
        if mutex.lock() {
            // A process died in the middle of a change: the table may be half-shifted; start empty.
            reset()
            recoveries += 1
        }
        defer { mutex.unlock() }
        return body()
    }

    // MARK: header

    private func headerMatches() -> Bool {
        func field(_ offset: Int) -> Int64 { base.load(fromByteOffset: offset, as: Int64.self) }
        guard field(0) == Self.magic, field(8) == Int64(geometry.items), field(16) == Int64(geometry.blockSize),
              field(24) == Int64(geometry.keySize), field(32) == Int64(geometry.tableSize) else { return false }
        let used = field(56), free = field(64)
        return used >= 0 && free >= 0 && used + free == Int64(geometry.items)
    }

    private func writeHeader() {
        let values: [(Int, Int64)] = [
            (8, Int64(geometry.items)), (16, Int64(geometry.blockSize)), (24, Int64(geometry.keySize)),
            (32, Int64(geometry.tableSize)), (40, geometry.flags), (48, geometry.mathInitial),
        ]
        for (offset, value) in values { base.storeBytes(of: value, toByteOffset: offset, as: Int64.self) }
        let name = Array(geometry.name.utf8.prefix(CacheGeometry.nameLimit))
        base.storeBytes(of: Int64(name.count), toByteOffset: 80, as: Int64.self)
        name.withUnsafeBytes { bytes in
            if let start = bytes.baseAddress { (base + 88).copyMemory(from: start, byteCount: bytes.count) }
        }
        base.storeBytes(of: Self.magic, as: Int64.self)
    }
}
