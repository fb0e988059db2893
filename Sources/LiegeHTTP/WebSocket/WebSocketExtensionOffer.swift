/// One extension a client offered in `Sec-WebSocket-Extensions` (RFC 6455 §9.1), with its
/// parameters in order: `permessage-deflate; client_max_window_bits` is the name and one parameter
/// without a value. Quoted values are unquoted.
public struct WebSocketExtensionOffer: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var parameters: [Parameter]

    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The offers of every `Sec-WebSocket-Extensions` field value, in order. A malformed element
    /// (not `token *( ";" token [ "=" ( token / quoted-string ) ] )`) is skipped, not fatal.
    public static func parse(_ fieldValues: [String]) -> [WebSocketExtensionOffer] {
        var offers: [WebSocketExtensionOffer] = []
        for value in fieldValues {
            var scanner = ExtensionScanner(Array(value.utf8))
            while !scanner.atEnd {
                if let offer = scanner.offer() { offers.append(offer) }
            }
        }
        return offers
    }
}

/// Reads `Sec-WebSocket-Extensions` elements; each call to `offer()` consumes one element.
private struct ExtensionScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    /// The next comma-separated element; nil (and the element skipped) when it is malformed or empty.
    mutating func offer() -> WebSocketExtensionOffer? {
        skipSpaces()
        guard let name = token() else { return skipElement() }
        var offer = WebSocketExtensionOffer(name: name)
        while true {
            skipSpaces()
            guard index < bytes.count else { return offer }
            switch bytes[index] {
            case ASCII.comma:
                index += 1
                return offer
            case ASCII.semicolon:
                index += 1
                skipSpaces()
                guard let parameter = parameter() else { return skipElement() }
                offer.parameters.append(parameter)
            default:
                return skipElement()
            }
        }
    }

    private mutating func parameter() -> WebSocketExtensionOffer.Parameter? {
        guard let name = token() else { return nil }
        skipSpaces()
        guard index < bytes.count, bytes[index] == 0x3D else { return .init(name: name) }
        index += 1
        skipSpaces()
        if index < bytes.count, bytes[index] == 0x22 {
            // RFC 6455 §9.1: a quoted value must still be a token once unquoted.
            guard let value = quoted(), !value.isEmpty, value.utf8.allSatisfy(ASCII.isToken) else { return nil }
            return .init(name: name, value: value)
        }
        guard let value = token() else { return nil }
        return .init(name: name, value: value)
    }

    private mutating func token() -> String? {
        let start = index
        while index < bytes.count, ASCII.isToken(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func quoted() -> String? {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22: return String(decoding: value, as: UTF8.self)
            case 0x5C:
                guard index < bytes.count else { return nil }
                value.append(bytes[index])
                index += 1
            default: value.append(byte)
            }
        }
        return nil
    }

    private mutating func skipSpaces() {
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Skips to just after the next comma outside a quoted string.
    private mutating func skipElement() -> WebSocketExtensionOffer? {
        var inQuotes = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == 0x5C { index += 1 } else if byte == 0x22 { inQuotes = false }
            } else if byte == 0x22 {
                inQuotes = true
            } else if byte == ASCII.comma {
                break
            }
        }
        return nil
    }
}
