import Dispatch
import Glibc

/// An inotify instance (non-blocking, close-on-exec) watching directories for everything that can
/// change the files in them: creation, writes, attribute changes (touch), deletion, moves in and out,
/// and the directory itself going away (PLATFORM.md §4 lists what each action produces). The one
/// inotify primitive: the emperor watches its vassal directories with it, the master's `FileWatcher`
/// the directories of its touch files.
public final class Inotify: @unchecked Sendable {
    private let fd: Int32
    private var source: DispatchSourceRead?
    private var closed = false

    /// Everything a directory watcher needs, including IN_CLOSE_WRITE (end of a write).
    public static let directoryMask: UInt32 = UInt32(IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE
        | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

    /// Files arriving in a directory: created, renamed into it, closed after writing (a spooler's new tasks).
    public static let arrivalMask: UInt32 = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)

    public init() throws(SystemError) {
        fd = try checked("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
    }

    /// Adds (or updates) a watch on `path`; returns its watch descriptor. Watching the same directory twice
    /// returns the same descriptor.
    public func watch(_ path: String, mask: UInt32 = Inotify.directoryMask) throws(SystemError) -> Int32 {
        guard !closed else { throw SystemError(call: "inotify_add_watch \(path)", errno: EBADF) }
        return try checked("inotify_add_watch \(path)") { inotify_add_watch(fd, path, mask) }
    }

    /// Removes a watch (ignores one that is already gone).
    public func unwatch(_ watch: Int32) {
        guard !closed else { return }
        _ = inotify_rm_watch(fd, watch)
    }

    /// Calls `handler` on `queue` whenever the descriptor is readable, with every event queued then
    /// (possibly none). Call once, on `queue`; `close()` stops it.
    public func start(on queue: DispatchQueue, handler: @escaping @Sendable ([InotifyEvent]) -> Void) {
        guard !closed, source == nil else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in
            guard let self else { return }
            handler(pendingEvents())
        }
        let fd = fd
        source.setCancelHandler { Posix.close(fd) }
        source.resume()
        self.source = source
    }

    /// The descriptor, for a caller that polls it itself (and then takes `pendingEvents()`) instead of `start`.
    public var descriptor: Int32 { fd }

    /// Every event queued now (empty when none): reads until EAGAIN.
    public func pendingEvents() -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !closed {
            let count = buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            events += Self.parse(buffer[0..<count])
        }
        return events
    }

    /// Stops watching. A started instance's descriptor is closed by its read source's cancel handler,
    /// since Dispatch requires it to stay open until then; one never started is closed now.
    public func close() {
        guard !closed else { return }
        closed = true
        if let source {
            source.cancel()
            self.source = nil
        } else {
            Posix.close(fd)
        }
    }

    /// Parses a buffer of `struct inotify_event` records: a 16-byte header (wd, mask, cookie, len), then
    /// `len` bytes of NUL-padded name. The flexible array member is not imported by Swift, hence by hand.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        let data = Array(bytes)
        var offset = 0
        data.withUnsafeBytes { raw in
            while offset + 16 <= raw.count {
                let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let cookie = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + 16
                let nameEnd = min(nameStart + length, raw.count)
                let nameBytes = data[nameStart..<nameEnd].prefix { $0 != 0 }
                events.append(InotifyEvent(watch: watch, mask: mask, cookie: cookie,
                                           name: String(decoding: nameBytes, as: UTF8.self)))
                offset = nameStart + length
            }
        }
        return events
    }
}
