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
