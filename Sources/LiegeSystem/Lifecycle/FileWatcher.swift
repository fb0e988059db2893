import Dispatch
import Glibc

/// What identifies a version of a file for `touch-reload`: device, inode, and modification and status
/// change times in nanoseconds, following symlinks (a ConfigMap-style swap gives a new inode).
public struct FileStamp: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    /// The stamp of `path` now; nil when it does not exist (or cannot be reached).
    public static func of(path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }
}

/// How a watched file differs from the last look.
public enum FileChange: Sendable, Equatable {
    case appeared
    case changed
    case removed

    /// Compares two looks at one file; nil when nothing changed.
    public static func between(_ before: FileStamp?, _ after: FileStamp?) -> FileChange? {
        switch (before, after) {
        case (nil, nil): return nil
        case (nil, .some): return .appeared
        case (.some, nil): return .removed
        case (.some(let old), .some(let new)): return old == new ? nil : .changed
        }
    }
}

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
    private var fd: Int32 = -1
    private var source: DispatchSourceRead?
    private var scheduled = false

    /// Starts watching; the current state of each file is the baseline. Must be called on `queue`.
    public init(paths: [String], queue: DispatchQueue, coalesceMilliseconds: Int = 100, handler: @escaping Handler) throws(SystemError) {
        self.paths = paths
        self.queue = queue
        self.coalesce = coalesceMilliseconds
        self.handler = handler
        for path in paths { stamps[path] = FileStamp.of(path: path) }
        fd = try checked("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM
                           | IN_DELETE_SELF | IN_MOVE_SELF)
        var directories: Set<String> = []
        for path in paths {
            directories.insert(Self.directory(of: path))
            if let target = realpath(path, nil) {
                directories.insert(Self.directory(of: String(cString: target)))
                free(target)
            }
        }
        for directory in directories { _ = inotify_add_watch(fd, directory, mask) }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.drainEvents() }
        source.resume()
        self.source = source
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
        source?.cancel()
        source = nil
        if fd >= 0 { Posix.close(fd) }
        fd = -1
    }

    private func drainEvents() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while fd >= 0 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
        }
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
