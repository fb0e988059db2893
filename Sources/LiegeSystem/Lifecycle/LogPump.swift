import Dispatch
import Glibc

/// Children's output passes through the master (SPEC.md §6): each child writes its fds 1 and 2 into its
/// own pipe, and the pump copies whole lines to the master's fd 2 (stderr or the `logto` file). So a
/// reopen or a rotation done here reaches every writer, and lines of two children never mix.
/// `logdate` prefixes each pumped line. Everything happens on the pump's own serial queue.
public final class LogPump: @unchecked Sendable {
    public struct Policy: Sendable {
        /// `logto` path (nil: stderr, nothing to reopen or rotate).
        public var path: String?
        /// strftime prefix for each line (`logdate`), nil for none.
        public var dateFormat: String?
        /// Rotate when the file grows past this many bytes (0: never).
        public var maxSize: Int
        /// Name for the rotated file (default: path plus `.<unixtime>`).
        public var backupName: String?

        public init(path: String?, dateFormat: String?, maxSize: Int, backupName: String?) {
            self.path = path
            self.dateFormat = dateFormat
            self.maxSize = maxSize
            self.backupName = backupName
        }
    }

    private final class Stream {
        let fd: Int32
        var source: DispatchSourceRead?
        var partial: [UInt8] = []
        init(fd: Int32) { self.fd = fd }
    }

    private let queue = DispatchQueue(label: "liege.master.logpump")
    private var policy: Policy
    private var streams: [Int32: Stream] = [:]

    public init(policy: Policy) {
        self.policy = policy
    }

    /// A new pipe for a child's fds 1 and 2: returns the write end to hand over (close it after the
    /// spawn); the read end is pumped until end of file.
    public func makePipe() throws(SystemError) -> Int32 {
        let pipe = try Posix.pipe()
        try Posix.setNonBlocking(pipe.read, true)
        queue.async { [self] in adopt(pipe.read) }
        return pipe.write
    }

    /// Something else to reopen with the log file (the `logger` files of a `LogFanout`).
    private var alsoReopen: (@Sendable () -> Void)?

    public func reopenAlso(_ action: @escaping @Sendable () -> Void) {
        queue.async { [self] in alsoReopen = action }
    }

    public func update(_ policy: Policy) {
        queue.async { [self] in self.policy = policy }
    }

    /// Reopens the log file (SIGUSR2, fifo `l`, `touch-logreopen`, every reload).
    public func reopen(then report: (@Sendable (String?) -> Void)? = nil) {
        queue.async { [self] in
            alsoReopen?()
            guard let path = policy.path else { report?(nil); return }
            do {
                try Posix.openLogFile(path)
                report?(nil)
            } catch {
                report?("cannot reopen \(path): \(error)")
            }
        }
    }

    /// Renames the log to its backup name and starts a new one (`log-maxsize`, fifo `L`).
    public func rotate(then report: (@Sendable (String?) -> Void)? = nil) {
        queue.async { [self] in report?(rotateNow()) }
    }

    /// Copies what is left in every pipe (children are gone), waiting at most `milliseconds`.
    public func drain(milliseconds: Int = 1000) {
        let deadline = monotonicMicroseconds() + Int64(milliseconds) * 1000
        queue.sync {
            while !streams.isEmpty, monotonicMicroseconds() < deadline {
                let fds = Array(streams.keys)
                _ = try? Posix.poll(fds.map { (fd: $0, events: PollEvents.readable) }, timeoutMilliseconds: 50)
                for fd in fds { pump(fd) }
            }
        }
    }

    // MARK: on the queue

    private func adopt(_ fd: Int32) {
        let stream = Stream(fd: fd)
        streams[fd] = stream
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.pump(fd) }
        source.setCancelHandler { Posix.close(fd) }
        stream.source = source
        source.resume()
    }

    private func pump(_ fd: Int32) {
        guard let stream = streams[fd] else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        var ended = false
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                stream.partial.append(contentsOf: chunk[0..<count])
                if count < chunk.count { break }
                continue
            }
            if count == -1, errno == EINTR { continue }
            ended = count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            break
        }
        emit(stream, final: ended)
        if ended {
            // The read end is closed by the source's cancel handler (Dispatch requires it open until
            // then); nothing waits for that close: the writers are gone already.
            stream.source?.cancel()
            stream.source = nil
            streams[fd] = nil
        }
    }

    /// Writes the complete lines (all of it at the end, or when a line passes 64 KB) with one write.
    private func emit(_ stream: Stream, final: Bool) {
        var cut = stream.partial.lastIndex(of: 10).map { $0 + 1 } ?? 0
        if final || stream.partial.count - cut > 65536 { cut = stream.partial.count }
        guard cut > 0 else { return }
        var out: [UInt8]
        if let format = policy.dateFormat {
            let prefix = Array((localTimeText(format) + " - ").utf8)
            out = []
            out.reserveCapacity(cut + 64)
            var lineStart = 0
            for index in 0..<cut where stream.partial[index] == 10 || index == cut - 1 {
                out += prefix
                out += stream.partial[lineStart...index]
                lineStart = index + 1
            }
        } else {
            out = Array(stream.partial[0..<cut])
        }
        if out.last != 10 { out.append(10) }
        stream.partial.removeFirst(cut)
        out.withUnsafeBytes { try? Posix.writeAll(2, $0) }
        if policy.maxSize > 0, let size = try? Posix.fileInfo(2).size, size >= policy.maxSize { _ = rotateNow() }
    }

    private func rotateNow() -> String? {
        guard let path = policy.path else { return "no logto file to rotate" }
        let backup = policy.backupName ?? "\(path).\(wallClockSeconds())"
        do {
            try Posix.rename(path, to: backup)
            try Posix.openLogFile(path)
            return nil
        } catch {
            return "cannot rotate \(path): \(error)"
        }
    }
}

/// The local time now through a strftime format (`logdate`); `true` (or empty) means uWSGI's stamp.
public func localTimeText(_ format: String) -> String {
    let pattern = format == "true" || format.isEmpty ? "%a %b %e %H:%M:%S %Y" : format
    return localTimeString(epochSeconds: wallClockSeconds(), format: pattern)
}
