@testable import LiegeWorker

/// A ByteStream in memory: reads come from `incoming`, writes and sendfile calls are recorded.
final class MemoryStream: ByteStream {
    var incoming: [UInt8] = []
    private(set) var written: [UInt8] = []
    private(set) var writeCalls = 0
    /// (descriptor, offset, count) of each sendFile call.
    private(set) var sentFiles: [(descriptor: Int32, offset: Int, count: Int)] = []
    /// What `fileSize` answers.
    var fileSizes: [Int32: Int] = [:]

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, incoming.count)
        guard count > 0 else { return 0 }
        incoming.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        incoming.removeFirst(count)
        return count
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        written.append(contentsOf: bytes)
        writeCalls += 1
    }

    func sendFile(descriptor: Int32, offset: Int, count: Int) throws {
        sentFiles.append((descriptor, offset, count))
    }

    func fileSize(descriptor: Int32) -> Int? { fileSizes[descriptor] }

    func setReadTimeout(seconds: Int) {}

    /// Everything written, as text (ASCII test data).
    var text: String { String(decoding: written, as: UTF8.self) }

    /// The body: what follows the head's blank line.
    var body: String {
        let end: [UInt8] = [13, 10, 13, 10]
        guard written.count >= 4, let start = (0...(written.count - 4)).first(where: { Array(written[$0..<($0 + 4)]) == end })
        else { return "" }
        return String(decoding: written[(start + 4)...], as: UTF8.self)
    }
}
