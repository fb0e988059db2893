import Dispatch
import Glibc

/// The master FIFO (`master-fifo`): a named pipe, mode 0600, read without blocking on the master's queue.
/// Every byte written is one command, delivered in order. The master holds a write end of its own, so
/// a writer closing never produces end-of-file and no command written right after another one is lost
/// (closing and reopening on each writer, as uWSGI does, drops bytes written in between). After each
/// batch the path is checked: a FIFO removed or replaced by someone is made again.
public final class ControlFifo: @unchecked Sendable {
    public let path: String
    private let queue: DispatchQueue
    private let handler: @Sendable (UInt8) -> Void
    private var readFD: Int32 = -1
    private var keepFD: Int32 = -1
    private var inode: UInt64 = 0
    private var source: DispatchSourceRead?

    /// Creates (replacing a stale file) and opens the FIFO. Call on `queue`.
    public init(path: String, queue: DispatchQueue, handler: @escaping @Sendable (UInt8) -> Void) throws(SystemError) {
        self.path = path
        self.queue = queue
        self.handler = handler
        try open()
    }

    private func open() throws(SystemError) {
        if let info = try Posix.fileInfo(path: path), !info.isDirectory { try Posix.removeFile(path) }
        _ = try checked("mkfifo \(path)") { mkfifo(path, 0o600) }
        _ = chmod(path, 0o600)   // whatever the umask
        readFD = try retrying("open \(path)") { Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        keepFD = try retrying("open \(path)") { Glibc.open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) }
        inode = (try? Posix.fileInfo(readFD))?.inode ?? 0
        let source = DispatchSource.makeReadSource(fileDescriptor: readFD, queue: queue)
        source.setEventHandler { [weak self] in self?.readCommands() }
        let watched = readFD
        source.setCancelHandler { Posix.close(watched) }
        source.resume()
        self.source = source
    }

    private func readCommands() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while readFD >= 0 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
            if count > 0 {
                for byte in buffer[0..<count] { handler(byte) }
                continue
            }
            if count == -1, errno == EINTR { continue }
            break
        }
        ensurePresent()
    }

    /// Makes the FIFO again if its path no longer leads to it.
    public func ensurePresent() {
        guard readFD >= 0 else { return }
        if let info = try? Posix.fileInfo(path: path), info.inode == inode { return }
        closeDescriptors()
        do { try open() } catch { writeStandardError("cannot recreate master-fifo \(path): \(error)\n") }
    }

    /// The read end is closed by its source's cancel handler (Dispatch requires it open until then); the
    /// FIFO's path is free at once all the same (a recreated FIFO is a new file), and the write end the
    /// master keeps, which no source watches, is closed now.
    private func closeDescriptors() {
        source?.cancel()
        source = nil
        if keepFD >= 0 { Posix.close(keepFD) }
        readFD = -1
        keepFD = -1
    }

    /// Stops reading; with `remove`, deletes the FIFO (vacuum).
    public func close(remove: Bool) {
        closeDescriptors()
        if remove { try? Posix.removeFile(path) }
    }
}
