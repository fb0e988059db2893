import Dispatch
import LiegeSystem

/// Reads a child's output pipe on the master's queue and logs each line with a prefix (`[daemon 2] ...`),
/// so daemon and cron output passes through the master's log (SPEC.md §6, §9). Closes the pipe at its end.
final class OutputRelay: @unchecked Sendable {
    private static let longestLine = 8192
    private let fd: Int32
    private let prefix: String
    private let log: Logger
    private var pending: [UInt8] = []
    private var source: DispatchSourceRead?

    init(fd: Int32, prefix: String, log: Logger, queue: DispatchQueue) {
        self.fd = fd
        self.prefix = prefix
        self.log = log
        try? Posix.setNonBlocking(fd, true)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in drain() }
        source.setCancelHandler { Posix.close(fd) }
        self.source = source
        source.resume()
    }

    /// Reads what is there (at most 256 KB per call, so a chatty child cannot hold the master's queue);
    /// at end of stream (or an error) logs the rest and stops.
    func drain() {
        var chunk = [UInt8](repeating: 0, count: 16384)
        var reads = 0
        while source != nil, reads < 16 {
            reads += 1
            let result = chunk.withUnsafeMutableBytes { buffer in Result { () throws(SystemError) in try Posix.read(fd, into: buffer) } }
            switch result {
            case .success(0):
                finish()
            case .success(let count):
                pending.append(contentsOf: chunk[0..<count])
                emitLines()
            case .failure(let error):
                if error.isTimeout { return }
                finish()
            }
        }
    }

    /// Logs what is left and closes the pipe (also when the child is gone but a grandchild still holds it).
    func finish() {
        if !pending.isEmpty { emit(pending[...]) }
        pending.removeAll()
        source?.cancel()
        source = nil
    }

    private func emitLines() {
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            emit(pending[..<newline])
            pending.removeSubrange(...newline)
        }
        if pending.count > Self.longestLine {
            emit(pending[...])
            pending.removeAll()
        }
    }

    private func emit(_ bytes: ArraySlice<UInt8>) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        log.info("\(prefix) \(text)")
    }
}
