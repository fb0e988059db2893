import CSystem
import Glibc

/// A block of memory that the master maps and passes to its workers as a descriptor (memfd, or a file for
/// a cache with `store`), mapped MAP_SHARED in every process: the shared cache and the user locks live in
/// one each. The first 8 bytes are the region's magic, which says what it holds.
public final class SharedRegion: @unchecked Sendable {
    public let fd: Int32
    public let base: UnsafeMutableRawPointer
    public let size: Int
    /// Backed by a file (`store`): written back at `sync` and when the last mapping goes.
    public let isFile: Bool

    private init(fd: Int32, base: UnsafeMutableRawPointer, size: Int, isFile: Bool) {
        self.fd = fd
        self.base = base
        self.size = size
        self.isFile = isFile
    }

    deinit {
        if isFile { msync(base, size, MS_SYNC) }
        munmap(base, size)
        Glibc.close(fd)
    }

    /// A zeroed in-memory region of `size` bytes (master side).
    public static func anonymous(name: String, size: Int) throws(SystemError) -> SharedRegion {
        let fd = try checked("memfd_create \(name)") { csystem_memfd_cloexec(name) }
        return try sized(fd, size: size, isFile: false, what: name)
    }

    /// The region kept in the file at `path` (master side), `size` bytes. With `fresh` the file is made anew
    /// beside `path` and renamed over it, so processes that still map the old one keep it intact; otherwise an
    /// existing file of exactly `size` bytes keeps its contents (the caller checks them), any other is zeroed.
    public static func file(path: String, size: Int, fresh: Bool) throws(SystemError) -> SharedRegion {
        let target = fresh ? path + ".liege-new-\(getpid())" : path
        let fd = try retrying("open \(target)") { open(target, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        do {
            let existing = try Posix.fileInfo(fd).size
            if existing != size, existing != 0 { _ = try checked("ftruncate \(target)") { ftruncate(fd, 0) } }
        } catch {
            Glibc.close(fd)
            if fresh { unlink(target) }
            throw error
        }
        do {
            let region = try sized(fd, size: size, isFile: true, what: target)
            if fresh { try Posix.rename(target, to: path) }
            return region
        } catch {
            if fresh { unlink(target) }
            throw error
        }
    }

    /// Maps the region a master passed on descriptor `fd` (worker side): its whole length. Only the master
    /// syncs a file-backed region.
    public static func attach(fd: Int32) throws(SystemError) -> SharedRegion {
        let info = try Posix.fileInfo(fd)
        guard info.size >= 64 else { throw SystemError(call: "shared region on fd \(fd) is too small", errno: EINVAL) }
        let base = try map(fd, size: info.size, what: "fd \(fd)")
        return SharedRegion(fd: fd, base: base, size: info.size, isFile: false)
    }

    /// The magic in the region's first 8 bytes.
    public var magic: Int64 { base.load(as: Int64.self) }

    /// Writes a file-backed region to its file now.
    public func sync() {
        if isFile { msync(base, size, MS_SYNC) }
    }

    private static func sized(_ fd: Int32, size: Int, isFile: Bool, what: String) throws(SystemError) -> SharedRegion {
        do {
            _ = try checked("ftruncate \(what)") { ftruncate(fd, off_t(size)) }
            return SharedRegion(fd: fd, base: try map(fd, size: size, what: what), size: size, isFile: isFile)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    private static func map(_ fd: Int32, size: Int, what: String) throws(SystemError) -> UnsafeMutableRawPointer {
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw SystemError(call: "mmap \(what) (\(size) bytes)", errno: errno)
        }
        return mapped
    }
}
