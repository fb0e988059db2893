import Dispatch

/// Watches files with inotify on their directories (and on the directory of a symlink's target), so an
/// edit, a `touch`, an atomic rename over the file or its appearance are seen within milliseconds.
/// Events within `coalesceMilliseconds` are handled as one look: every file is stat()ed again and the
/// ones that differ are reported. `rescan()` may also be called on a slow timer as a safety net.
/// Everything runs on `queue`.
public final class FileWatcher: @unchecked Sendable {
    public typealias Handler = @Sendable ([(path: String, change: FileChange)]) -> Void

    private let paths: [String]
    private let queue: DispatchQueue
    private let coalesce: Int
    private let handler: Handler
    private var stamps: [String: FileStamp?] = [:]
    private let inotify: Inotify
    private var scheduled = false

    /// Starts watching; the current state of each file is the baseline. Must be called on `queue`.
    public init(paths: [String], queue: DispatchQueue, coalesceMilliseconds: Int = 100, handler: @escaping Handler) throws(SystemError) {
        self.paths = paths
        self.queue = queue
        self.coalesce = coalesceMilliseconds
        self.handler = handler
        for path in paths { stamps[path] = FileStamp.of(path: path) }
        inotify = try Inotify()
        var directories: Set<String> = []
        for path in paths {
            directories.insert(Self.directory(of: path))
            if let target = Posix.realPath(path) { directories.insert(Self.directory(of: target)) }
        }
        for directory in directories { _ = try? inotify.watch(directory) }
        inotify.start(on: queue) { [weak self] _ in self?.eventsArrived() }
    }

    /// Files that do not exist now (for the start-up warning).
    public var missing: [String] { paths.filter { stamps[$0] == .some(nil) } }

    /// The slow safety net (the master's heartbeat): a look now, unless events already scheduled one
    /// (a file being written must get its coalescing window).
    public func rescanUnlessPending() {
        guard !scheduled else { return }
        rescan()
    }

    /// Looks at every file now and reports what changed since the last look.
    public func rescan() {
        var changes: [(path: String, change: FileChange)] = []
        for path in paths {
            let now = FileStamp.of(path: path)
            let before = stamps[path] ?? nil
            if let change = FileChange.between(before, now) { changes.append((path, change)) }
            stamps[path] = now
        }
        if !changes.isEmpty { handler(changes) }
    }

    public func cancel() {
        inotify.close()
    }

    /// Any event (the inotify queue is drained) opens a coalescing window, unless one is open.
    private func eventsArrived() {
        guard !scheduled else { return }
        scheduled = true
        queue.asyncAfter(deadline: .now() + .milliseconds(coalesce)) { [weak self] in
            guard let self else { return }
            scheduled = false
            rescan()
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}
