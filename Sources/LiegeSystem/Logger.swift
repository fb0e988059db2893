import Glibc

/// One line per event: `2026-11-21 20:44:22 [shop 1234] message`, written with one write(2) call
/// to stderr (fd 2), so lines from the master and its children never interleave mid-line.
public struct Logger: Sendable {
    public var name: String

    public init(name: String) {
        self.name = name
    }

    public func info(_ message: String) {
        write(line: message)
    }

    public func error(_ message: String) {
        write(line: message)
    }

    private func write(line message: String) {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var stamp = [CChar](repeating: 0, count: 32)
        let length = strftime(&stamp, stamp.count, "%Y-%m-%d %H:%M:%S", &parts)
        let prefix = String(decoding: stamp[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var text = "\(prefix) [\(name) \(getpid())] \(message)"
        if !text.hasSuffix("\n") { text += "\n" }
        try? Posix.writeAll(2, text)
    }
}
