import LiegeSystem

/// Reads one stats document from a stats server: `host:port`, a unix path, `@abstract`, or `http://host:port/path`
/// (a `stats-http` server). Works against Liege's and uWSGI's stats servers.
public struct StatsFetcher: Sendable {
    public enum Target: Sendable, Equatable {
        case raw(ListenAddress)
        case http(ListenAddress, path: String)
    }

    public let target: Target

    /// nil when `text` is no address.
    public init?(_ text: String) {
        if text.hasPrefix("http://") {
            let rest = text.dropFirst("http://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            guard let address = ListenAddress(parsing: String(rest[..<slash])) else { return nil }
            let path = rest[slash...]
            target = .http(address, path: path.isEmpty ? "/" : String(path))
        } else {
            guard let address = ListenAddress(parsing: text) else { return nil }
            target = .raw(address)
        }
    }

    /// The document text (the body, for HTTP).
    public func fetch() throws(SystemError) -> String {
        let address: ListenAddress
        var request = ""
        switch target {
        case .raw(let plain):
            address = plain
        case .http(let plain, let path):
            address = plain
            request = "GET \(path) HTTP/1.0\r\nHost: \(plain)\r\n\r\n"
        }
        let connection = try Connection.connect(to: address)
        defer { connection.close() }
        try connection.setTimeouts(seconds: 3)
        if !request.isEmpty {
            let bytes = Array(request.utf8)
            try bytes.withUnsafeBytes { buffer in Result { () throws(SystemError) in try connection.writeAll(buffer) } }.get()
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < 64 << 20 {
            let count = try buffer.withUnsafeMutableBytes { chunk in
                Result { () throws(SystemError) in try connection.read(into: chunk) }
            }.get()
            if count == 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard case .http = target else { return text }
        guard let end = text.firstRange(of: "\r\n\r\n") else { return "" }
        return String(text[end.upperBound...])
    }
}
