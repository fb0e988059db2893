/// An upgrade request that cannot become a WebSocket, with the HTTP answer RFC 6455 asks for.
public struct WebSocketRefusal: Sendable {
    /// 400, or 426 for an unsupported `Sec-WebSocket-Version`.
    public var status: Int
    /// A short message for the log (`"Sec-WebSocket-Key is not 16 bytes of base64"`).
    public var reason: String
    /// Headers the answer must carry (`Sec-WebSocket-Version: 13` with a 426).
    public var headers: [(name: String, value: String)]

    public init(status: Int, reason: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// The whole HTTP/1.1 answer (status, headers, the reason as a plain-text body, `Connection: close`).
    public func response(date: String?) -> [UInt8] {
        Self.response(status: status, headers: headers, body: reason + "\n", date: date)
    }

    /// A whole HTTP/1.1 response that ends the connection: `status`, `headers` (latin-1; CR, LF and
    /// NUL become spaces), `Content-Type: text/plain` unless `headers` has one, `Content-Length` for
    /// `body` (the status line text when empty), `Connection: close`. For refusals and for an app's deny before accept (403).
    public static func response(status: Int, headers: [(name: String, value: String)], body: String, date: String?) -> [UInt8] {
        let text = body.isEmpty ? HTTPStatus.line(status) + "\n" : body
        var buffer: [UInt8] = []
        buffer.reserveCapacity(192 + text.utf8.count)
        var fields = headers
        if !headers.contains(where: { ASCII.equalsIgnoringCase($0.name, "content-type") }) {
            fields.append((name: "Content-Type", value: "text/plain; charset=utf-8"))
        }
        ResponseHead.serialize(
            version: .http1_1, status: HTTPStatus.line(status), headers: fields,
            date: date, server: "liege", contentLength: text.utf8.count, chunked: false, keepAlive: false,
            into: &buffer)
        buffer.append(contentsOf: text.utf8)
        return buffer
    }
}
