import LiegeHTTP
import LiegeSystem

/// What the static server learned about the files it sent, per candidate path and rule root: the
/// real path it proved inside the root, the validators it sent, and for small files that nobody has
/// touched for a while, their bytes. An entry holds only while the file's stamp (inode, size,
/// modification and change times) is the one it was made from: a changed, replaced, moved,
/// re-linked or chmod-ed file, or a symlink now pointing elsewhere, misses and is looked at afresh.
/// One per worker loop (no locking).
final class StaticFileCache {
    struct Entry {
        let stamp: StaticFileSystem.Stamp
        let info: FileInfo
        let realPath: [UInt8]
        let lastModified: String
        let entityTag: String
        /// The whole file (small files only, see `holdsContent`).
        var content: [UInt8]?
    }

    private struct Key: Hashable {
        let candidate: [UInt8]
        let root: [UInt8]
    }

    /// Entries kept at most (the table is emptied when full).
    static let entryLimit = 1024
    /// Files up to this size may have their bytes kept.
    static let contentLimit = StaticResponder.inlineLimit
    /// Bytes of file content kept at most per worker.
    static let contentBudget = 4 << 20
    /// A file's bytes are kept only once its last change is this many seconds old: file times tick
    /// coarsely, so a file rewritten within the same tick, same size, could otherwise look unchanged.
    static let settleSeconds = 2

    private var entries: [Key: Entry] = [:]
    private var contentBytes = 0

    func entry(_ candidate: [UInt8], root: [UInt8]) -> Entry? {
        entries.isEmpty ? nil : entries[Key(candidate: candidate, root: root)]
    }

    /// Records a file just proven inside `root`; returns the entry (with the file's bytes when they
    /// may be kept and were read whole from `fd`).
    @discardableResult
    func remember(_ candidate: [UInt8], root: [UInt8], stamp: StaticFileSystem.Stamp, info: FileInfo,
                  realPath: [UInt8], fd: Int32, now: Int) -> Entry {
        var entry = Entry(
            stamp: stamp, info: info, realPath: realPath,
            lastModified: HTTPDate.format(epochSeconds: info.modifiedSeconds),
            entityTag: ConditionalRequest.entityTag(size: info.size, modifiedSeconds: info.modifiedSeconds,
                                                    modifiedNanoseconds: info.modifiedNanoseconds))
        if holdsContent(stamp, now: now), contentBytes + info.size <= Self.contentBudget {
            entry.content = Self.readWhole(fd, size: info.size)
        }
        if entries.count >= Self.entryLimit {
            entries.removeAll(keepingCapacity: true)
            contentBytes = 0
        }
        let key = Key(candidate: candidate, root: root)
        if let old = entries[key]?.content { contentBytes -= old.count }
        contentBytes += entry.content?.count ?? 0
        entries[key] = entry
        return entry
    }

    func forget(_ candidate: [UInt8], root: [UInt8]) {
        guard let old = entries.removeValue(forKey: Key(candidate: candidate, root: root)) else { return }
        contentBytes -= old.content?.count ?? 0
    }

    private func holdsContent(_ stamp: StaticFileSystem.Stamp, now: Int) -> Bool {
        stamp.size > 0 && stamp.size <= Self.contentLimit && stamp.latestSecond + Self.settleSeconds <= now
    }

    /// The file's bytes, or nil when it did not read back at its stat size.
    private static func readWhole(_ fd: Int32, size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: size)
        let filled = bytes.withUnsafeMutableBytes { buffer -> Int in
            var filled = 0
            while filled < size {
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<size])
                guard let count = try? StaticFileSystem.read(fd, into: slice, at: filled), count > 0 else { break }
                filled += count
            }
            return filled
        }
        return filled == size ? bytes : nil
    }
}
