import LiegeSystem

/// A request body read whole before the app ran (`post-buffering`): in memory, or in a temporary file
/// past the limit. The app thread serving the request reads it front to back; nothing here waits on
/// the client.
final class BufferedBody: @unchecked Sendable {   // filled by the loop, then read by one app thread
    enum Storage {
        case memory([UInt8])
        case file(TemporaryFile)
    }

    let storage: Storage
    private var offset = 0

    init(_ storage: Storage) {
        self.storage = storage
    }

    var count: Int {
        switch storage {
        case .memory(let bytes): bytes.count
        case .file(let file): file.size
        }
    }

    var isOnDisk: Bool {
        if case .file = storage { return true }
        return false
    }

    /// The next bytes of the body; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count: Int
        switch storage {
        case .memory(let bytes):
            count = min(buffer.count, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
            }
        case .file(let file):
            count = try file.read(into: buffer, at: offset)
        }
        offset += count
        return count
    }
}
