/// The trailer section after the last chunk of a chunked body (RFC 9112 §7.1.2), read one byte at a
/// time and discarded. Each line must be a well-formed field (`token ":" value`, no folding, no
/// controls); there may be at most `maxFields` of them and `maxSize` bytes in all (431 beyond); a
/// field that must not be sent in a trailer is a 400 (see `forbidden`).
struct TrailerSection: Sendable {
    enum Progress: Equatable {
        case more
        case done
        case failure(HTTPError)
    }

    private enum State: Sendable {
        case lineStart, name, value, lineLF, finalLF
    }

    /// Fields whose meaning is needed before the content, so a trailer cannot carry them
    /// (RFC 9110 §6.5.1: message framing, routing, authentication, request modifiers, response
    /// controls, content format; RFC 9110 §7.6.1 and RFC 9112 §9.6 for the connection fields).
    /// A recipient that merged them into the header section (or a proxy in front that does) would
    /// let the body rewrite the request, so the whole request is refused instead. Lowercase.
    static let forbidden: [StaticString] = [
        // framing
        "content-length", "transfer-encoding", "trailer", "te",
        // routing and connection management
        "host", "connection", "keep-alive", "upgrade",
        // request modifiers: controls and conditionals
        "expect", "max-forwards", "cache-control", "pragma", "range",
        "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
        // authentication and state
        "authorization", "www-authenticate", "authentication-info", "cookie", "set-cookie",
        // content format
        "content-type", "content-encoding", "content-range", "content-location",
    ]
    /// Every `Proxy-*` field (Proxy-Authorization, Proxy-Authenticate, Proxy-Connection, ...).
    static let forbiddenPrefix: StaticString = "proxy-"
    /// Long enough for every forbidden name; longer names are only checked for the prefix.
    private static let nameCapacity = 20

    let maxSize: Int
    let maxFields: Int
    private var state = State.lineStart
    private var size = 0
    private var fields = 0
    /// The current field name, lowercased, cut at `nameCapacity` bytes.
    private var name: [UInt8] = []
    private var nameLength = 0

    /// `maxFields` 0 means no limit.
    init(maxSize: Int, maxFields: Int) {
        self.maxSize = maxSize
        self.maxFields = maxFields == 0 ? Int.max : maxFields
    }

    mutating func step(_ byte: UInt8) -> Progress {
        size += 1
        guard size <= maxSize else { return .failure(.headTooLarge) }
        switch state {
        case .lineStart:
            switch byte {
            case ASCII.cr: state = .finalLF
            case ASCII.lf: return .done
            case ASCII.space, ASCII.tab: return bad("obsolete line folding in trailer")
            default:
                guard ASCII.isToken(byte) else { return bad("invalid trailer field name") }
                fields += 1
                guard fields <= maxFields else { return .failure(.tooManyFields) }
                name.removeAll(keepingCapacity: true)
                nameLength = 0
                appendName(byte)
                state = .name
            }
        case .name:
            if ASCII.isToken(byte) {
                appendName(byte)
            } else if byte == ASCII.colon {
                if isForbidden() { return bad("\(nameText) is not allowed in a trailer") }
                state = .value
            } else {
                return bad("invalid trailer field name")
            }
        case .value:
            switch byte {
            case ASCII.cr: state = .lineLF
            case ASCII.lf: state = .lineStart
            default:
                guard ASCII.isVisible(byte) || ASCII.isWhitespace(byte) else { return bad("invalid character in trailer") }
            }
        case .lineLF:
            guard byte == ASCII.lf else { return bad("bare CR in trailer") }
            state = .lineStart
        case .finalLF:
            guard byte == ASCII.lf else { return bad("bare CR after the last chunk") }
            return .done
        }
        return .more
    }

    private mutating func appendName(_ byte: UInt8) {
        nameLength += 1
        if name.count < Self.nameCapacity { name.append(ASCII.lower(byte)) }
    }

    private func isForbidden() -> Bool {
        if Self.hasPrefix(name, Self.forbiddenPrefix) { return true }
        guard nameLength == name.count else { return false }
        return Self.forbidden.contains { Self.equals(name, $0) }
    }

    private var nameText: String { String(decoding: name, as: UTF8.self) }

    private func bad(_ reason: String) -> Progress { .failure(.badRequest(reason)) }

    private static func equals(_ bytes: [UInt8], _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && hasPrefix(bytes, literal)
    }

    private static func hasPrefix(_ bytes: [UInt8], _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[offset] != pointer[offset] { return false }
        return true
    }
}
