/// The bytes of the request body read from the exchange but not yet given to the app:
/// one growable raw allocation with a read window [start, end). Not thread-safe (GIL held).
final class InputBuffer {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    private(set) var start = 0
    private(set) var end = 0

    deinit {
        storage?.deallocate()
    }

    /// Buffered bytes not yet consumed.
    var count: Int { end - start }

    /// The unconsumed bytes (valid until the next mutation).
    var bytes: UnsafeRawBufferPointer {
        guard let storage else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: storage + start, count: end - start)
    }

    /// Drops `count` bytes from the front.
    func consume(_ count: Int) {
        start += count
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Free space of at least `minimum` bytes after the unconsumed data (compacting or growing).
    func reserve(_ minimum: Int) -> UnsafeMutableRawBufferPointer {
        if capacity - end < minimum {
            let needed = count + minimum
            if start > 0 && capacity >= needed, let storage {
                storage.copyMemory(from: storage + start, byteCount: count)
            } else {
                let grown = max(needed, capacity * 2)
                let fresh = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
                if let storage {
                    fresh.copyMemory(from: storage + start, byteCount: count)
                    storage.deallocate()
                }
                storage = fresh
                capacity = grown
            }
            end = count
            start = 0
        }
        // storage is non-nil here: capacity >= minimum > 0 or it was just allocated.
        return UnsafeMutableRawBufferPointer(start: storage.map { $0 + end }, count: capacity - end)
    }

    /// Marks `count` bytes written into the space `reserve` returned as buffered.
    func commit(_ count: Int) {
        end += count
    }
}
