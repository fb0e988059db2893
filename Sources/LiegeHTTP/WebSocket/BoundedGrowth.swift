/// Growing a message buffer geometrically, but never reserving more than the message limit.
enum BoundedGrowth {
    @inline(__always)
    static func reserve(_ buffer: inout [UInt8], adding count: Int, limit: Int) {
        let needed = buffer.count + count
        guard needed > buffer.capacity else { return }
        buffer.reserveCapacity(max(needed, min(limit, buffer.capacity * 2)))
    }
}
