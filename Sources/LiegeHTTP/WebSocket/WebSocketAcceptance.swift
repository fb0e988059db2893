/// Writes the server's side of the opening handshake (RFC 6455 §4.2.2).
public enum WebSocketAcceptance {
    /// The GUID every accept value is derived with (RFC 6455 §1.3).
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    private static let reservedNames = [
        "upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions",
    ]

    /// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64 of the SHA-1 of the key and the GUID.
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.digest(Array((key + guid).utf8)))
    }

    /// The bytes of the `101 Switching Protocols` response: `Upgrade`, `Connection`,
    /// `Sec-WebSocket-Accept`, then `Sec-WebSocket-Protocol` when `subprotocol` is given (it must be
    /// one the client offered), `Sec-WebSocket-Extensions` for `deflate`, `Server`, `Date` when given,
    /// and the app's `headers` (raw bytes, in order).
    public static func response(
        for offer: WebSocketOffer, subprotocol: String?, deflate: PerMessageDeflate?,
        headers: [(name: [UInt8], value: [UInt8])] = [], date: String? = nil
    ) throws(WebSocketHandshakeError) -> [UInt8] {
        if let subprotocol, !offer.subprotocols.contains(subprotocol) {
            throw .subprotocolNotOffered(subprotocol)
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.allSatisfy(ASCII.isToken),
                !value.contains(where: { $0 == ASCII.cr || $0 == ASCII.lf || $0 == 0 })
            else { throw .invalidHeader(name: name) }
            let text = String(decoding: name, as: UTF8.self)
            if reservedNames.contains(where: { ASCII.equalsIgnoringCase($0, text) }) { throw .reservedHeader(name: name) }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        ResponseHead.appendStatic("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", into: &buffer)
        field("Sec-WebSocket-Accept", acceptValue(forKey: offer.key), into: &buffer)
        if let subprotocol { field("Sec-WebSocket-Protocol", subprotocol, into: &buffer) }
        if let deflate { field("Sec-WebSocket-Extensions", deflate.responseValue, into: &buffer) }
        if !headers.contains(where: { ASCII.equalsIgnoringCase(String(decoding: $0.name, as: UTF8.self), "server") }) {
            field("Server", "liege", into: &buffer)
        }
        if let date { field("Date", date, into: &buffer) }
        for (name, value) in headers {
            buffer.append(contentsOf: name)
            buffer.append(contentsOf: [ASCII.colon, ASCII.space])
            buffer.append(contentsOf: value)
            buffer.append(contentsOf: [ASCII.cr, ASCII.lf])
        }
        buffer.append(contentsOf: [ASCII.cr, ASCII.lf])
        return buffer
    }

    private static func field(_ name: String, _ value: String, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: [ASCII.colon, ASCII.space])
        ResponseHead.appendLatin1(value, into: &buffer)
        buffer.append(contentsOf: [ASCII.cr, ASCII.lf])
    }
}
