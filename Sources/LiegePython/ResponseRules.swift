/// PEP 3333 / RFC 9110 checks on what an app passes to start_response. Pure functions.
enum ResponseRules {
    /// Hop-by-hop headers a WSGI app must not set (PEP 3333, "Other HTTP Features").
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "trailers", "transfer-encoding", "upgrade",
    ]

    /// The status code of a valid status line ("200 OK"): three digits, a space, a reason phrase
    /// without control characters. nil when invalid.
    static func statusCode(_ status: String) -> Int? {
        let bytes = Array(status.utf8)
        guard bytes.count >= 4, bytes[3] == UInt8(ascii: " ") else { return nil }
        var code = 0
        for byte in bytes[0..<3] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard code >= 100 else { return nil }
        for byte in bytes[4...] where isControl(byte) { return nil }
        return code
    }

    /// Why a header is not acceptable, or nil when it is fine.
    static func headerProblem(name: String, value: String) -> String? {
        if name.isEmpty { return "empty header name" }
        for byte in name.utf8 where !isTokenCharacter(byte) {
            return "invalid character in header name \(quoted(name))"
        }
        for byte in value.utf8 where isControl(byte) {
            return "control character (CR, LF, ...) in the value of header \(quoted(name))"
        }
        if hopByHop.contains(name.lowercased()) {
            return "hop-by-hop header \(quoted(name)) is not allowed in a WSGI response"
        }
        return nil
    }

    /// Control characters other than horizontal tab (UTF-8 bytes of latin-1 text: only ASCII controls
    /// and the C1 range, whose UTF-8 lead byte is 0xC2, matter; checking single bytes is enough here).
    private static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }

    /// RFC 9110 tchar.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : $0.escaped(asASCII: true) }
            .joined() + "\""
    }
}
