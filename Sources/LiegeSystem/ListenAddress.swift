/// A listening address in the forms of SPEC.md §2.
///
/// `127.0.0.1:8000` and `localhost:8000` -> `.tcp`; `:8000` -> `.tcp(host: "0.0.0.0")` (all IPv4);
/// `[::1]:8000` -> `.tcp6`; `/run/x.sock` or any text without `:` -> `.unix`; `@name` -> `.abstract`.
/// Port 0 asks the kernel for any free port.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case tcp6(host: String, port: Int)
    case unix(path: String)
    case abstract(name: String)

    /// nil when `text` is none of the forms above (empty, bad port, unbracketed IPv6, empty name).
    public init?(parsing text: String) {
        if text.isEmpty { return nil }
        if text.hasPrefix("@") {
            let name = String(text.dropFirst())
            guard !name.isEmpty, name.utf8.count <= 106 else { return nil }
            self = .abstract(name: name)
            return
        }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard !host.isEmpty, rest.hasPrefix(":"), let port = Self.port(rest.dropFirst()) else { return nil }
            self = .tcp6(host: host, port: port)
            return
        }
        guard !text.hasPrefix("/"), let colon = text.lastIndex(of: ":") else {
            guard text.utf8.count <= 107 else { return nil }
            self = .unix(path: text)
            return
        }
        let host = String(text[..<colon])
        guard !host.contains(":"), let port = Self.port(text[text.index(after: colon)...]) else { return nil }
        self = .tcp(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(text), port <= 65535 else { return nil }
        return port
    }

    /// Unix socket file path (what `chmod-socket`, `chown-socket` and `vacuum` act on), else nil.
    public var filePath: String? {
        if case .unix(let path) = self { return path }
        return nil
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .tcp6(let host, let port): return "[\(host)]:\(port)"
        case .unix(let path): return path
        case .abstract(let name): return "@\(name)"
        }
    }
}
