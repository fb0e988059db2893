import Glibc

/// The hash table under the lock: lookups, insertion (making room when full), removal with backward shift.
extension SharedCache {
    var used: Int {
        get { Int(base.load(fromByteOffset: 56, as: Int64.self)) }
        set { base.storeBytes(of: Int64(newValue), toByteOffset: 56, as: Int64.self) }
    }

    private var freeCount: Int {
        get { Int(base.load(fromByteOffset: 64, as: Int64.self)) }
        set { base.storeBytes(of: Int64(newValue), toByteOffset: 64, as: Int64.self) }
    }

    private var table: UnsafeMutablePointer<Int32> {
        (base + geometry.tableOffset).assumingMemoryBound(to: Int32.self)
    }

    private var freeStack: UnsafeMutablePointer<Int32> {
        (base + geometry.freeStackOffset).assumingMemoryBound(to: Int32.self)
    }

    private func entryBase(_ entry: Int) -> UnsafeMutableRawPointer {
        base + geometry.entriesOffset + entry * geometry.entrySize
    }

    private func field(_ entry: Int, _ offset: Int) -> Int64 {
        entryBase(entry).load(fromByteOffset: offset, as: Int64.self)
    }

    private func setField(_ entry: Int, _ offset: Int, _ value: Int64) {
        entryBase(entry).storeBytes(of: value, toByteOffset: offset, as: Int64.self)
    }

    func keyLength(_ entry: Int) -> Int { Int(field(entry, 8)) }
    func valueLength(_ entry: Int) -> Int { Int(field(entry, 16)) }
    func keyPointer(_ entry: Int) -> UnsafeMutableRawPointer { entryBase(entry) + CacheGeometry.entryHeaderSize }
    func valuePointer(_ entry: Int) -> UnsafeMutableRawPointer { keyPointer(entry) + geometry.keySize }

    func isExpired(_ entry: Int, now: Int64) -> Bool {
        let expiry = field(entry, 24)
        return expiry != 0 && expiry <= now
    }

    /// FNV-1a, 64 bits.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The bucket holding `key` and its entry, or the empty bucket where it would go (entry nil); nil only
    /// when the table is full of other keys (never: it has twice the buckets of items).
    func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (position: Int, entry: Int?)? {
        var position = Int(truncatingIfNeeded: hash) & tableMask
        for _ in 0...tableMask {
            let slot = Int(table[position])
            if slot == 0 { return (position, nil) }
            let entry = slot - 1
            if UInt64(bitPattern: field(entry, 0)) == hash, keyLength(entry) == key.count,
               memcmp(keyPointer(entry), key.baseAddress ?? UnsafeRawPointer(keyPointer(entry)), key.count) == 0 {
                return (position, entry)
            }
            position = (position + 1) & tableMask
        }
        return nil
    }

    /// The live entry of `key`: an expired one is removed on the way and reads as missing.
    func live(_ key: UnsafeRawBufferPointer, now: Int64) -> (position: Int, entry: Int)? {
        guard let found = find(key, hash: Self.hash(key)), let entry = found.entry else { return nil }
        if isExpired(entry, now: now) {
            remove(at: found.position, entry: entry)
            return nil
        }
        return (found.position, entry)
    }

    /// A new entry for `key` (not present), room made first when the cache is full; nil when there is none.
    func insert(_ key: UnsafeRawBufferPointer, now: Int64) -> Int? {
        if freeCount == 0 { makeRoom(now: now) }
        guard freeCount > 0 else { return nil }
        let hash = Self.hash(key)
        guard let found = find(key, hash: hash), found.entry == nil else { return nil }
        freeCount -= 1
        let entry = Int(freeStack[freeCount])
        table[found.position] = Int32(entry + 1)
        used += 1
        setField(entry, 0, Int64(bitPattern: hash))
        setField(entry, 8, Int64(key.count))
        if let start = key.baseAddress { keyPointer(entry).copyMemory(from: start, byteCount: key.count) }
        return entry
    }

    func store(_ entry: Int, value: UnsafeRawBufferPointer, expiry: Int64) {
        if let start = value.baseAddress { valuePointer(entry).copyMemory(from: start, byteCount: value.count) }
        setField(entry, 16, Int64(value.count))
        setField(entry, 24, expiry)
        touch(entry)
    }

    /// Marks a use, for `purge_lru`.
    func touch(_ entry: Int) {
        guard geometry.leastRecentlyUsed else { return }
        let clock = base.load(fromByteOffset: 72, as: Int64.self) + 1
        base.storeBytes(of: clock, toByteOffset: 72, as: Int64.self)
        setField(entry, 32, clock)
    }

    /// Empties bucket `position` (holding `entry`), then moves later keys of the same run back so every
    /// lookup still finds them without tombstones.
    func remove(at position: Int, entry: Int) {
        table[position] = 0
        freeStack[freeCount] = Int32(entry)
        freeCount += 1
        used -= 1
        var hole = position
        var next = position
        while true {
            next = (next + 1) & tableMask
            let slot = Int(table[next])
            if slot == 0 { return }
            let home = Int(truncatingIfNeeded: UInt64(bitPattern: field(slot - 1, 0))) & tableMask
            // The key at `next` may move to `hole` unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !staysPut {
                table[hole] = table[next]
                table[next] = 0
                hole = next
            }
        }
    }

    /// A full cache: expired items go, then (purge_lru) the least recently used one, or (clear_on_full) all.
    private func makeRoom(now: Int64) {
        for entry in usedEntries() where isExpired(entry, now: now) { removeEntry(entry) }
        guard freeCount == 0 else { return }
        if geometry.leastRecentlyUsed, let oldest = usedEntries().min(by: { field($0, 32) < field($1, 32) }) {
            removeEntry(oldest)
        } else if geometry.clearOnFull {
            reset()
        }
    }

    private func removeEntry(_ entry: Int) {
        let key = UnsafeRawBufferPointer(start: keyPointer(entry), count: keyLength(entry))
        if let found = find(key, hash: UInt64(bitPattern: field(entry, 0))), found.entry == entry {
            remove(at: found.position, entry: entry)
        }
    }

    /// The entries the table points at.
    func usedEntries() -> [Int] {
        (0...tableMask).compactMap { table[$0] == 0 ? nil : Int(table[$0]) - 1 }
    }

    /// Nothing stored: every bucket empty, every entry free.
    func reset() {
        table.update(repeating: 0, count: geometry.tableSize)
        for index in 0..<geometry.items { freeStack[index] = Int32(geometry.items - 1 - index) }
        freeCount = geometry.items
        used = 0
    }
}
