/// The bytes read from a connection and not consumed yet: one allocation per worker thread, reused
/// for every connection it serves.
final class InputBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var start = 0
    private(set) var end = 0

    init(capacity: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    var capacity: Int { storage.count }
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

    /// Reads once from `stream` into the free space (moving unconsumed bytes to the front when needed).
    /// Returns the byte count read (0 = peer closed), or 0 with `isFull` true when there is no room.
    func fill(from stream: ByteStream) throws -> Int {
        if end == storage.count, start > 0 {
            let pending = count
            storage.baseAddress.map { base in base.copyMemory(from: base + start, byteCount: pending) }
            start = 0
            end = pending
        }
        guard end < storage.count else { return 0 }
        let read = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        end += read
        return read
    }

    var isFull: Bool { start == 0 && end == storage.count }

    /// Moves up to `buffer.count` unconsumed bytes into `buffer`.
    func take(into buffer: UnsafeMutableRawBufferPointer, limit: Int) -> Int {
        let taken = min(count, buffer.count, limit)
        guard taken > 0, let target = buffer.baseAddress, let source = storage.baseAddress else { return 0 }
        target.copyMemory(from: source + start, byteCount: taken)
        consume(taken)
        return taken
    }
}
