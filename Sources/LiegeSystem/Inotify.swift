import Glibc

/// One inotify event: the watch it came from, what happened, and the entry name inside a watched
/// directory ("" for events on the directory itself).
public struct InotifyEvent: Sendable, Equatable {
    public var watch: Int32
    public var mask: UInt32
    public var cookie: UInt32
    public var name: String

    public init(watch: Int32, mask: UInt32, cookie: UInt32, name: String) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    /// The kernel dropped events (queue overflow): everything must be rescanned.
    public var isOverflow: Bool { mask & UInt32(IN_Q_OVERFLOW) != 0 }
    /// The watch is gone (its directory was removed or unmounted).
    public var isWatchGone: Bool { mask & UInt32(IN_IGNORED) != 0 }
}

/// An inotify instance (non-blocking, close-on-exec) watching directories for everything that can
/// change the files in them: creation, writes, attribute changes (touch), deletion, moves in and out,
/// and the directory itself going away (PLATFORM.md §4 lists what each action produces).
public final class Inotify: @unchecked Sendable {
    public let fd: Int32

    /// Everything a vassals directory watcher needs, including IN_CLOSE_WRITE (end of a write).
    public static let directoryMask: UInt32 = UInt32(IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE
        | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

    public init() throws(SystemError) {
        fd = try checked("inotify_init1") { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
    }

    /// Adds (or updates) a watch on `path`; returns its watch descriptor. Watching the same directory twice
    /// returns the same descriptor.
    public func watch(_ path: String, mask: UInt32 = Inotify.directoryMask) throws(SystemError) -> Int32 {
        try checked("inotify_add_watch \(path)") { inotify_add_watch(fd, path, mask) }
    }

    /// Removes a watch (ignores one that is already gone).
    public func unwatch(_ watch: Int32) {
        _ = inotify_rm_watch(fd, watch)
    }

    /// Every event queued now (empty when none): reads until EAGAIN.
    public func readEvents() -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return events }
            events += Self.parse(buffer[0..<count])
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

    public func close() {
        Posix.close(fd)
    }
}
