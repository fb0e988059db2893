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
