import Dispatch
import Glibc

/// The master's `logger`s (SPEC.md §6): fds 1 and 2 of this process become a pipe, and every line
/// written there (the master's own, and the children's that the LogPump copies to fd 2) is handed to
/// the loggers `LogRouter` picks, on the fanout's own serial queue. `finish()` puts the original
/// standard error back and writes what is left.
public final class LogFanout: @unchecked Sendable {
    private let queue = DispatchQueue(label: "liege.master.logfanout")
    private let writers: [LogWriter]
    private let names: [String?]
    private let routes: [(logger: String, pattern: String)]
    private var router: LogRouter?
    private let readEnd: Int32
    private let original: Int32
    private var source: DispatchSourceRead?
    private var partial: [UInt8] = []

    /// Opens every logger (a file that cannot be opened throws, nothing changed) and takes over fds 1 and 2.
    public init(loggers: [(name: String?, destination: LogDestination)], routes: [(logger: String, pattern: String)])
        throws(SystemError) {
        original = try Posix.duplicate(2, atLeast: 3)
        var writers: [LogWriter] = []
        do {
            for logger in loggers { writers.append(try LogWriter(logger.destination, standardError: original)) }
            let pipe = try Posix.pipe()
            try Posix.setNonBlocking(pipe.read, true)
            readEnd = pipe.read
            try Posix.replaceStandardOutputs(with: pipe.write)
            Posix.close(pipe.write)
        } catch {
            Posix.close(original)
            throw error
        }
        self.writers = writers
        names = loggers.map(\.name)
        self.routes = routes
        let source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
        source.setEventHandler { [weak self] in self?.pump() }
        self.source = source
        source.resume()
    }

    /// Reopens the file loggers (SIGUSR2, fifo `l`, `touch-logreopen`, every reload: see `LogPump.reopen`).
    public func reopen() {
        queue.async { [self] in
            for writer in writers { try? writer.reopen() }
        }
    }

    /// Gives fds 1 and 2 back to the original standard error and writes the lines still in the pipe
    /// (the master is exiting; a smart daemon may still hold the pipe, so this does not wait for its end).
    public func finish() {
        try? Posix.replaceStandardOutputs(with: original)
        queue.sync {
            pump()
            emit(final: true)
            source?.cancel()
            source = nil
        }
    }

    // MARK: on the queue

    private func pump() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                partial.append(contentsOf: chunk[0..<count])
                continue
            }
            if count == -1, errno == EINTR { continue }
            break
        }
        emit(final: false)
    }

    private func emit(final: Bool) {
        var cut = partial.lastIndex(of: 10).map { $0 + 1 } ?? 0
        if final { cut = partial.count }
        guard cut > 0 else { return }
        let router = self.router ?? LogRouter(names: names, routes: routes)
        self.router = router
        var batches = [[UInt8]](repeating: [], count: writers.count)
        var raw: [UInt8] = []
        var start = 0
        while start < cut {
            let end = partial[start..<cut].firstIndex(of: 10).map { $0 + 1 } ?? cut
            var line = Array(partial[start..<end])
            if line.last != 10 { line.append(10) }
            switch router.target(for: String(decoding: line.dropLast(), as: UTF8.self)) {
            case .loggers(let indexes): for index in indexes { batches[index] += line }
            case .standardError: raw += line
            }
            start = end
        }
        partial.removeFirst(cut)
        for (index, batch) in batches.enumerated() { writers[index].write(lines: batch) }
        raw.withUnsafeBytes { try? Posix.writeAll(original, $0) }
    }
}

extension Posix {
    /// Puts `fd` on fds 1 and 2 of this process.
    public static func replaceStandardOutputs(with fd: Int32) throws(SystemError) {
        _ = try retrying("dup2 -> 1") { dup2(fd, 1) }
        _ = try retrying("dup2 -> 2") { dup2(fd, 2) }
    }
}
