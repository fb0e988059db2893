import LiegeSystem

/// The bytes read from a connection and not consumed yet. Starts small and grows up to `limit`
/// (the head buffer size plus room for a body's first bytes), so an idle connection costs little.
final class InputBuffer {
    private var storage: UnsafeMutableRawBufferPointer
    private let limit: Int
    private(set) var start = 0
    private(set) var end = 0

    init(initialCapacity: Int = 4096, limit: Int) {
        self.limit = max(limit, initialCapacity)
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: min(initialCapacity, self.limit), alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    var count: Int { end - start }
    var isEmpty: Bool { start == end }

    /// The unconsumed bytes.
    var readable: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[start..<end]) }

    func reset() {
        start = 0
        end = 0
    }

    func consume(_ count: Int) {
        start += count
        if start == end { reset() }
    }

    /// True when the unconsumed bytes fill the whole buffer at its largest.
    var isFull: Bool { count >= limit }

    /// Reads once into the free space (moving unconsumed bytes to the front or growing when needed).
    /// `.done(0)` means there was no room.
    func fill(_ read: (UnsafeMutableRawBufferPointer) -> IOResult) -> IOResult {
        if end == storage.count {
            if start > 0 {
                let pending = count
                storage.baseAddress.map { base in base.copyMemory(from: base + start, byteCount: pending) }
                start = 0
                end = pending
            } else if storage.count < limit {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(limit, storage.count * 4), alignment: 16)
                if let target = grown.baseAddress, let source = storage.baseAddress { target.copyMemory(from: source, byteCount: end) }
                storage.deallocate()
                storage = grown
            }
        }
        guard end < storage.count else { return .done(0) }
        let result = read(UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        if case .done(let count) = result { end += count }
        return result
    }
}
