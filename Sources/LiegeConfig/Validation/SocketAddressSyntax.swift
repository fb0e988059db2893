/// The socket address forms: `host:port`, `:port`, `[v6]:port`, `/path` (or a relative path with a
/// `/` or ending in `.sock`), `@abstract`.
enum SocketAddressSyntax {
    static func isValid(_ address: String) -> Bool {
        if address.hasPrefix("@") { return address.count > 1 }
        if address.hasPrefix("/") || address.hasPrefix("./") || address.hasPrefix("../") { return !address.contains("\0") }
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return false }
            let host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.hasPrefix(":"), !host.isEmpty,
                  host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" || $0.isLetter || $0.isASCIIDigit })
            else { return false }
            return isPort(rest.dropFirst())
        }
        if let colon = address.lastIndex(of: ":") {
            let host = address[..<colon]
            let hostCharacters = host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-._*".contains($0) }
            return hostCharacters && isPort(address[address.index(after: colon)...])
        }
        return !address.contains(" ") && (address.contains("/") || address.hasSuffix(".sock"))
    }

    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy(\.isASCIIDigit), let port = Int(text) else { return false }
        return port <= 65535
    }
}
