import Dispatch
import Glibc

/// The master FIFO (`master-fifo`): a named pipe, mode 0600, read without blocking on the master's queue.
/// Every byte written is one command, delivered in order. When the last writer closes, the FIFO is
/// removed and made again, so each `echo r > fifo` starts from a clean pipe.
public final class ControlFifo: @unchecked Sendable {
    public let path: String
    private let queue: DispatchQueue
    private let handler: @Sendable (UInt8) -> Void
    private var fd: Int32 = -1
    private var source: DispatchSourceRead?

    /// Creates (replacing a stale file) and opens the FIFO. Call on `queue`.
    public init(path: String, queue: DispatchQueue, handler: @escaping @Sendable (UInt8) -> Void) throws(SystemError) {
        self.path = path
        self.queue = queue
        self.handler = handler
        try open()
    }

    private func open() throws(SystemError) {
        if let info = try Posix.fileInfo(path: path), !info.isDirectory {
            try Posix.removeFile(path)
        }
        _ = try checked("mkfifo \(path)") { mkfifo(path, 0o600) }
        _ = chmod(path, 0o600)   // whatever the umask
        fd = try retrying("open \(path)") { Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.readCommands() }
        source.resume()
        self.source = source
    }

    private func readCommands() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while fd >= 0 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                for byte in buffer[0..<count] { handler(byte) }
                continue
            }
            if count == -1, errno == EINTR { continue }
            if count == 0 {
                // The last writer went away: make a fresh FIFO (an old one would report end of file forever).
                closeDescriptor()
                do { try open() } catch { writeStandardError("cannot recreate master-fifo \(path): \(error)\n") }
            }
            return
        }
    }

    private func closeDescriptor() {
        source?.cancel()
        source = nil
        if fd >= 0 { Posix.close(fd) }
        fd = -1
    }

    /// Stops reading; with `remove`, deletes the FIFO (vacuum).
    public func close(remove: Bool) {
        closeDescriptor()
        if remove { try? Posix.removeFile(path) }
    }
}
