import Glibc

/// The calls the static-file server makes per request, on byte paths (file names need not be UTF-8).
public enum StaticFileSystem {
    /// Why a file could not be opened.
    public enum OpenFailure: Error, Equatable, Sendable {
        /// ENOENT, ENOTDIR, ENAMETOOLONG: nothing there; try the next rule.
        case notFound
        /// EACCES, EPERM, ELOOP: there, but the worker may not read it.
        case denied
        /// Anything else (EMFILE, EIO, ...).
        case failed(SystemError)
    }

    /// Opens a path read-only for sendfile: O_CLOEXEC, O_NOCTTY, and O_NONBLOCK so that a FIFO never
    /// blocks the worker (regular files ignore it). Symlinks are followed; check `realPath(of:)` after.
    public static func open(_ path: [UInt8]) -> Result<Int32, OpenFailure> {
        let flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK
        while true {
            let fd = path.withUnsafeBufferPointer { buffer in
                withNulTerminated(buffer) { Glibc.open($0, flags) }
            }
            if fd >= 0 { return .success(fd) }
            switch errno {
            case EINTR: continue
            case ENOENT, ENOTDIR, ENAMETOOLONG: return .failure(.notFound)
            case EACCES, EPERM, ELOOP: return .failure(.denied)
            default: return .failure(.failed(SystemError(call: "open", errno: errno)))
            }
        }
    }

    /// Who a file is and which version of it: two looks with equal stamps saw the same inode with the
    /// same content, permissions and links (any write, chmod, link or rename moves the change time).
    public struct Stamp: Equatable, Sendable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int
        public var modified: timespec
        public var changed: timespec

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        /// The later of the modification and change times, in whole seconds.
        public var latestSecond: Int { Int(max(modified.tv_sec, changed.tv_sec)) }

        public static func == (lhs: Stamp, rhs: Stamp) -> Bool {
            lhs.device == rhs.device && lhs.inode == rhs.inode && lhs.size == rhs.size
                && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
                && lhs.changed.tv_sec == rhs.changed.tv_sec && lhs.changed.tv_nsec == rhs.changed.tv_nsec
        }
    }

    /// fstat(2) of an open file: what `Posix.fileInfo` reports, and its stamp.
    public static func describe(_ fd: Int32) -> (info: FileInfo, stamp: Stamp)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return (FileInfo(info), Stamp(info))
    }

    /// stat(2) of a path (symlinks followed); nil when it cannot be looked at.
    public static func describe(path: [UInt8]) -> (info: FileInfo, stamp: Stamp)? {
        var info = stat()
        let result = path.withUnsafeBufferPointer { buffer in
            withNulTerminated(buffer) { stat($0, &info) }
        }
        return result == 0 ? (FileInfo(info), Stamp(info)) : nil
    }

    /// The canonical path of an open descriptor, read from `/proc/self/fd` (one syscall, and exactly
    /// the file that will be sent). Nil when /proc is not mounted.
    public static func realPath(of fd: Int32) -> [UInt8]? {
        var name: [UInt8] = Array("/proc/self/fd/".utf8)
        name.append(contentsOf: String(fd).utf8)
        return name.withUnsafeBufferPointer { buffer in
            withNulTerminated(buffer) { readLink($0) }
        }
    }

    /// realpath(3) of a path (every symlink resolved), nil when it does not exist.
    public static func realPath(_ path: [UInt8]) -> [UInt8]? {
        path.withUnsafeBufferPointer { buffer in
            withNulTerminated(buffer) { pointer -> [UInt8]? in
                guard let resolved = realpath(pointer, nil) else { return nil }
                defer { free(resolved) }
                return Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
            }
        }
    }

    /// pread(2): up to `buffer.count` bytes from `offset`; 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retrying("pread \(fd)") { pread(fd, base, buffer.count, off_t(offset)) }
    }

    private static func readLink(_ name: UnsafePointer<CChar>) -> [UInt8]? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { target -> [UInt8]? in
            guard let base = target.baseAddress else { return nil }
            let length = readlink(name, base, target.count)
            guard length > 0, length < target.count else { return nil }
            return Array(UnsafeRawBufferPointer(start: base, count: length))
        }
    }

    /// Calls `body` with a NUL-terminated copy of `bytes` (on the stack when short).
    static func withNulTerminated<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<CChar>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { scratch in
            for index in 0..<bytes.count { scratch[index] = CChar(bitPattern: bytes[index]) }
            scratch[bytes.count] = 0
            guard let base = scratch.baseAddress else { preconditionFailure("empty temporary allocation") }
            return body(base)
        }
    }
}
