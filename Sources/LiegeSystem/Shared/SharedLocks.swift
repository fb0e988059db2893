/// The user locks of one vassal (`uwsgi.lock(N)`, `locks = N`): robust process-shared mutexes in a region
/// the master makes and every worker maps. Header: magic, count; then one mutex per 64 bytes.
public final class SharedLocks: @unchecked Sendable {
    static let magic: Int64 = 0x4C49_4547_454C_4B31   // "LIEGELK1"
    static let headerSize = 64

    public let region: SharedRegion
    public let count: Int

    private init(region: SharedRegion) {
        self.region = region
        count = Int(region.base.load(fromByteOffset: 8, as: Int64.self))
    }

    /// Master side: `count` fresh locks.
    public static func create(count: Int) throws(SystemError) -> SharedLocks {
        precondition(count > 0, "at least one lock")
        let region = try SharedRegion.anonymous(name: "liege-locks", size: headerSize + count * SharedMutex.reservedBytes)
        for index in 0..<count {
            try SharedMutex(at: region.base + headerSize + index * SharedMutex.reservedBytes).initialize()
        }
        region.base.storeBytes(of: Int64(count), toByteOffset: 8, as: Int64.self)
        region.base.storeBytes(of: magic, as: Int64.self)
        return SharedLocks(region: region)
    }

    /// Worker side: the locks in a region the master passed, or nil when it holds something else.
    public static func attach(_ region: SharedRegion) -> SharedLocks? {
        guard region.magic == magic else { return nil }
        let locks = SharedLocks(region: region)
        return locks.count > 0 && headerSize + locks.count * SharedMutex.reservedBytes <= region.size ? locks : nil
    }

    /// Lock `index` (0..<count).
    public func mutex(_ index: Int) -> SharedMutex {
        precondition(index >= 0 && index < count, "lock \(index) out of 0..<\(count)")
        return SharedMutex(at: region.base + Self.headerSize + index * SharedMutex.reservedBytes)
    }
}
