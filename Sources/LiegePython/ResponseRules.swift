/// PEP 3333 / RFC 9110 checks on what an app passes to start_response. Pure functions.
enum ResponseRules {
    /// Hop-by-hop headers a WSGI app must not set (PEP 3333, "Other HTTP Features"), lowercase.
    static let hopByHop: [StaticString] = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "trailers", "transfer-encoding", "upgrade",
    ]

    /// True for a hop-by-hop header name (any case).
    static func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2, 7, 8, 10, 17, 18, 19:
            return hopByHop.contains { equalsIgnoringCase(name, $0) }
        default:
            return false
        }
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    static func equalsIgnoringCase(_ name: String, _ lowercase: StaticString) -> Bool {
        guard name.utf8.count == lowercase.utf8CodeUnitCount else { return false }
        let literal = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return zip(name.utf8, literal).allSatisfy { pair in
            let byte = pair.0 >= UInt8(ascii: "A") && pair.0 <= UInt8(ascii: "Z") ? pair.0 | 0x20 : pair.0
            return byte == pair.1
        }
    }

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
        if isHopByHop(name) {
            return "hop-by-hop header \(quoted(name)) is not allowed in a WSGI response"
        }
        return nil
    }

    /// ASCII control characters other than horizontal tab (CR and LF above all).
    private static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }

    /// RFC 9110 tchar.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "^"), UInt8(ascii: "`"),
             UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : $0.escaped(asASCII: true) }
            .joined() + "\""
    }
}
