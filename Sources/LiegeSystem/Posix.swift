import CSystem
import Glibc

/// Errno-checked wrappers around plain descriptor calls. Every descriptor made here is close-on-exec;
/// children get only what `ProcessSpawner` maps for them. EINTR is retried; other failures throw `SystemError`.
public enum Posix {
    /// Opens `path` read-only (O_CLOEXEC), e.g. a static file to send with `Connection.sendfile`.
    public static func openFile(_ path: String) throws(SystemError) -> Int32 {
        try retrying("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
    }

    /// Opens `path` for appending, creating it with mode 0644 (O_CLOEXEC).
    public static func openForAppend(_ path: String) throws(SystemError) -> Int32 {
        try retrying("open \(path)") { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644) }
    }

    /// Closes `fd`. EINTR is not retried (on Linux the descriptor is gone either way).
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Size, modification time and kind of an open file.
    public static func fileInfo(_ fd: Int32) throws(SystemError) -> FileInfo {
        var info = stat()
        _ = try checked("fstat \(fd)") { fstat(fd, &info) }
        return FileInfo(info)
    }

    /// Like `fileInfo(_:)` for a path (following symlinks); nil when it does not exist.
    public static func fileInfo(path: String) throws(SystemError) -> FileInfo? {
        var info = stat()
        if stat(path, &info) == -1 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw SystemError(call: "stat \(path)", errno: errno)
        }
        return FileInfo(info)
    }

    /// One read(2): the byte count, 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retrying("read \(fd)") { Glibc.read(fd, base, buffer.count) }
    }

    /// Writes every byte, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            offset += try retrying("write \(fd)") { Glibc.write(fd, base + offset, bytes.count - offset) }
        }
    }

    public static func writeAll(_ fd: Int32, _ text: String) throws(SystemError) {
        let bytes = Array(text.utf8)
        let failure = bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try writeAll(fd, buffer) } }
        try failure.get()
    }

    /// Everything from offset 0 to the end of `fd` (pread: the file offset is left alone), e.g. the
    /// config memfd on fd 3. For a pipe or socket: everything read until end of stream.
    public static func readAll(_ fd: Int32) throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var seekable = true
        while true {
            let offset = off_t(result.count)
            let count = try retrying("read \(fd)") {
                chunk.withUnsafeMutableBytes { buffer in
                    if seekable {
                        let count = pread(fd, buffer.baseAddress, buffer.count, offset)
                        if count >= 0 || errno != ESPIPE { return count }
                        seekable = false
                    }
                    return Glibc.read(fd, buffer.baseAddress, buffer.count)
                }
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// The whole content of the file at `path`.
    public static func readFile(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = try openFile(path)
        defer { close(fd) }
        return try readAll(fd)
    }

    /// A pipe, both ends close-on-exec.
    public static func pipe() throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try checked("pipe2") { csystem_pipe2_cloexec(&fds) }
        return (fds[0], fds[1])
    }

    /// An anonymous in-memory file (memfd, close-on-exec) holding `text`, for a child to read from offset 0.
    public static func memfd(name: String, text: String) throws(SystemError) -> Int32 {
        let fd = try checked("memfd_create \(name)") { csystem_memfd_cloexec(name) }
        do {
            try writeAll(fd, text)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Switches O_NONBLOCK on or off.
    public static func setNonBlocking(_ fd: Int32, _ enabled: Bool) throws(SystemError) {
        let flags = try checked("fcntl F_GETFL \(fd)") { fcntl(fd, F_GETFL) }
        let wanted = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags { _ = try checked("fcntl F_SETFL \(fd)") { fcntl(fd, F_SETFL, wanted) } }
    }

    /// A close-on-exec duplicate of `fd` numbered `minimum` or higher.
    public static func duplicate(_ fd: Int32, atLeast minimum: Int32) throws(SystemError) -> Int32 {
        try checked("fcntl F_DUPFD_CLOEXEC \(fd)") { fcntl(fd, F_DUPFD_CLOEXEC, minimum) }
    }

    /// Makes SIGPIPE harmless for this process: a write to a closed socket or pipe then fails with EPIPE
    /// (`SystemError.isPeerGone`) instead of killing it. Children get default dispositions back at spawn.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Sets the file mode creation mask (`umask`) of this process; children inherit it.
    public static func setFileModeMask(_ mask: Int) {
        _ = umask(mode_t(mask))
    }

    /// Removes a file; a missing one is not an error.
    public static func removeFile(_ path: String) throws(SystemError) {
        if unlink(path) == -1, errno != ENOENT { throw SystemError(call: "unlink \(path)", errno: errno) }
    }

    /// Makes a directory (its parent must exist); one that exists already is not an error.
    public static func makeDirectory(_ path: String, mode: Int) throws(SystemError) {
        if mkdir(path, mode_t(mode)) == -1, errno != EEXIST { throw SystemError(call: "mkdir \(path)", errno: errno) }
    }

    /// Renames atomically within one file system.
    public static func rename(_ from: String, to: String) throws(SystemError) {
        _ = try checked("rename \(from) -> \(to)") { Glibc.rename(from, to) }
    }

    public static var processID: Int32 { getpid() }
}

/// What fstat/stat tells about a file.
public struct FileInfo: Sendable, Equatable {
    public var size: Int
    /// Modification time, seconds and nanoseconds since the epoch.
    public var modifiedSeconds: Int
    public var modifiedNanoseconds: Int
    public var device: UInt64
    public var inode: UInt64
    public var isRegularFile: Bool
    public var isDirectory: Bool
    public var isSocket: Bool

    init(_ info: stat) {
        size = Int(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        let kind = info.st_mode & S_IFMT
        isRegularFile = kind == S_IFREG
        isDirectory = kind == S_IFDIR
        isSocket = kind == S_IFSOCK
    }
}

/// The text of a C buffer up to its first NUL.
func string(fromNulTerminated buffer: [CChar]) -> String {
    let end = buffer.firstIndex(of: 0) ?? buffer.count
    return String(decoding: buffer[0..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
