extension PerMessageDeflate {
    /// The parameters accepting the first acceptable `permessage-deflate` offer, or nil (no
    /// compression) when there is none. Offers of other extensions are ignored.
    ///
    /// An offer is declined, and the next one tried, when it repeats a parameter, has an unknown
    /// one, gives a value to a flag, lacks the value of `server_max_window_bits`, or has a window
    /// size outside 8...15 (RFC 7692 §7.1). It is also declined for `server_max_window_bits=8`:
    /// zlib's raw deflate cannot compress with a 256-byte window (it would use 512, which such a
    /// client could not inflate), and RFC 7692 §7.1.2.1 lets a server decline rather than answer
    /// with a larger value. Clients that ask for 8 usually offer a fallback after it.
    ///
    /// What is accepted is echoed: the context-takeover flags the client sent, its
    /// `server_max_window_bits`, and `client_max_window_bits` when it came with a value.
    public static func negotiate(_ offers: [WebSocketExtensionOffer]) -> PerMessageDeflate? {
        for offer in offers where ASCII.equalsIgnoringCase(offer.name, "permessage-deflate") {
            if let accepted = accept(offer) { return accepted }
        }
        return nil
    }

    private static func accept(_ offer: WebSocketExtensionOffer) -> PerMessageDeflate? {
        var result = PerMessageDeflate()
        var seen: Set<String> = []
        for parameter in offer.parameters {
            let name = parameter.name.lowercased()
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                result.serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                result.clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let value = parameter.value, let bits = windowBits(value), bits >= 9 else { return nil }
                result.serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value = parameter.value {
                    guard let bits = windowBits(value) else { return nil }
                    result.clientMaxWindowBits = bits
                }
            default:
                return nil
            }
        }
        return result
    }

    /// `%x38-39 / "1" %x30-35`: 8...15 without leading zeros.
    private static func windowBits(_ text: String) -> Int? {
        guard text.utf8.count <= 2, text.utf8.allSatisfy(ASCII.isDigit), text.first != "0", let bits = Int(text), (8...15).contains(bits) else { return nil }
        return bits
    }
}
