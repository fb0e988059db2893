import CSystem
import Glibc

/// Where log lines go (uWSGI's `logger` / `req-logger` forms): a file (appended), this process's
/// standard error as it was when logging started, or syslog.
public enum LogDestination: Sendable, Equatable {
    case file(String)
    case stdio
    case syslog(ident: String, facility: Int32)

    /// syslog facility numbers by name (`user`, `daemon`, `local0`...`local7`).
    public static let facilities: [String: Int32] = {
        var table: [String: Int32] = ["user": 1 << 3, "daemon": 3 << 3]
        for index in 0...7 { table["local\(index)"] = Int32(16 + index) << 3 }
        return table
    }()
}

/// An open destination. Lines are written whole, one write(2) each batch (files opened O_APPEND, so
/// lines of several processes never interleave mid-line).
public final class LogWriter: @unchecked Sendable {
    private let destination: LogDestination
    private let fd: Int32
    private let ownsDescriptor: Bool

    /// Opens `destination`; `.stdio` writes to `standardError` (default: fd 2).
    public init(_ destination: LogDestination, standardError: Int32 = 2) throws(SystemError) {
        self.destination = destination
        switch destination {
        case .file(let path):
            fd = try Posix.openForAppend(path)
            ownsDescriptor = true
        case .stdio:
            fd = standardError
            ownsDescriptor = false
        case .syslog(let ident, let facility):
            csystem_openlog(ident, facility)
            fd = -1
            ownsDescriptor = false
        }
    }

    deinit {
        if ownsDescriptor { Posix.close(fd) }
    }

    /// Opens a file destination again under the same descriptor (logrotate moved the file away).
    public func reopen() throws(SystemError) {
        guard case .file(let path) = destination else { return }
        let fresh = try Posix.openForAppend(path)
        defer { Posix.close(fresh) }
        _ = try retrying("dup2 \(path)") { dup2(fresh, fd) }
    }

    /// Writes complete lines (each ending in a newline).
    public func write(lines bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if case .syslog = destination {
            for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
                csystem_syslog(6, String(decoding: line, as: UTF8.self))   // LOG_INFO
            }
            return
        }
        bytes.withUnsafeBytes { raw in try? Posix.writeAll(fd, raw) }
    }
}
