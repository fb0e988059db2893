import Dispatch
import LiegeSystem

/// Logs a child's output pipe line by line with a prefix (`[daemon 2] ...`), so daemon and cron output
/// passes through the master's log (SPEC.md §6, §9). Each pipe is read with blocking reads on a serial
/// queue of its own (a thread while the pipe is open) until end of file, then closed; no dispatch read
/// source, so no descriptor is ever closed under a registered source.
enum OutputRelay {
    private static let longestLine = 8192

    /// Takes ownership of `fd` (the blocking read end of the pipe).
    static func start(fd: Int32, prefix: String, log: Logger) {
        DispatchQueue(label: "liege.master.output.\(fd)").async {
            relay(fd: fd, prefix: prefix, log: log)
            Posix.close(fd)
        }
    }

    private static func relay(fd: Int32, prefix: String, log: Logger) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let result = chunk.withUnsafeMutableBytes { buffer in Result { () throws(SystemError) in try Posix.read(fd, into: buffer) } }
            guard case .success(let count) = result, count > 0 else { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                emit(pending[..<newline], prefix: prefix, log: log)
                pending.removeSubrange(...newline)
            }
            if pending.count > longestLine {
                emit(pending[...], prefix: prefix, log: log)
                pending.removeAll()
            }
        }
        if !pending.isEmpty { emit(pending[...], prefix: prefix, log: log) }
    }

    private static func emit(_ bytes: ArraySlice<UInt8>, prefix: String, log: Logger) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        log.info("\(prefix) \(text)")
    }
}
