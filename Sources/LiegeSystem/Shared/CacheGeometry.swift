/// The shape of one shared cache (`cache2 = name=...,items=...`): how many items, how big a key and a value
/// may be, and what happens when it is full. The region's size follows from it.
public struct CacheGeometry: Sendable, Equatable {
    public var name: String
    public var items: Int
    /// The largest value, in bytes (`blocksize`).
    public var blockSize: Int
    /// The largest key, in bytes (`keysize`).
    public var keySize: Int
    /// `purge_lru`: a full cache drops its least recently used item to make room.
    public var leastRecentlyUsed: Bool
    /// `no_expire`: the expiry of every set is ignored.
    public var noExpire: Bool
    /// `clear_on_full`: a full cache is emptied to make room.
    public var clearOnFull: Bool
    /// `math_initial`: the number `cache_inc` and friends start from for a missing key.
    public var mathInitial: Int64

    /// The longest name a cache may have.
    public static let nameLimit = 64

    public init(name: String, items: Int, blockSize: Int = 65535, keySize: Int = 2048, leastRecentlyUsed: Bool = false,
                noExpire: Bool = false, clearOnFull: Bool = false, mathInitial: Int64 = 0) {
        self.name = name
        self.items = items
        self.blockSize = blockSize
        self.keySize = keySize
        self.leastRecentlyUsed = leastRecentlyUsed
        self.noExpire = noExpire
        self.clearOnFull = clearOnFull
        self.mathInitial = mathInitial
    }

    /// Buckets of the hash table: a power of two, at least twice the items.
    var tableSize: Int {
        var size = 16
        while size < items * 2 { size *= 2 }
        return size
    }

    static let headerSize = 256
    static let entryHeaderSize = 40

    var entrySize: Int { (Self.entryHeaderSize + keySize + blockSize + 7) & ~7 }
    var tableOffset: Int { Self.headerSize }
    var freeStackOffset: Int { tableOffset + tableSize * 4 }
    var entriesOffset: Int { (freeStackOffset + items * 4 + 63) & ~63 }

    /// Bytes of the whole region (pages are only used once written: a mostly empty cache costs little).
    public var regionSize: Int { entriesOffset + items * entrySize }

    var flags: Int64 {
        (leastRecentlyUsed ? 1 : 0) | (noExpire ? 2 : 0) | (clearOnFull ? 4 : 0)
    }
}
