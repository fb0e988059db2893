import CSystem
import Glibc

/// An unnamed file in `$TMPDIR` (or /tmp) that disappears with its descriptor: a request body too large
/// for memory (`post-buffering`). Written by the event loop, then read by the one app thread serving the
/// request (the job hands it over; never used by two threads at once).
public final class TemporaryFile: @unchecked Sendable {
    public let fd: Int32
    public private(set) var size = 0

    /// The directory of body files: `$TMPDIR` when set, else /tmp.
    public static var directory: String {
        let value = getenv("TMPDIR").map { String(cString: $0) } ?? ""
        return value.isEmpty ? "/tmp" : value
    }

    public init(in directory: String = TemporaryFile.directory) throws(SystemError) {
        fd = try retrying("create a temporary file in \(directory)") { csystem_open_tmpfile(directory) }
    }

    deinit {
        Glibc.close(fd)
    }

    /// Appends `bytes` at the end.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let offset = off_t(size + written)
            written += try retrying("write a temporary file") { pwrite(fd, base + written, bytes.count - written, offset) }
        }
        size += bytes.count
    }

    public func append(_ bytes: [UInt8]) throws(SystemError) {
        let outcome = bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try append(buffer) } }
        try outcome.get()
    }

    /// Reads from `offset` (pread): the byte count, 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, offset < size else { return 0 }
        return try retrying("read a temporary file") { pread(fd, base, min(buffer.count, size - offset), off_t(offset)) }
    }
}
