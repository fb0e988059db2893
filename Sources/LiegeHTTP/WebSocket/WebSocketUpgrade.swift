/// Reads the opening handshake of RFC 6455 §4.2.1 from a parsed request head.
public enum WebSocketUpgrade {
    public enum Outcome: Sendable {
        /// No `Upgrade: websocket`: an ordinary HTTP request.
        case notWebSocket
        /// A valid handshake: answer with `WebSocketAcceptance.response`.
        case offer(WebSocketOffer)
        /// An attempted but broken handshake: write `refusal.response(date:)` and close.
        case refusal(WebSocketRefusal)
    }

    /// The request asks for a WebSocket: an `Upgrade` field lists the `websocket` token (any case).
    /// Such a request goes to `inspect`, never to the app as plain HTTP.
    public static func isUpgradeRequest(_ head: RequestHead) -> Bool {
        listHas(head, "upgrade", "websocket")
    }

    /// Checks the handshake in the order of RFC 6455 §4.2.1. Every failure is a 400 except the
    /// version (426 with `Sec-WebSocket-Version: 13`, §4.2.2). A method other than GET is a 400 too,
    /// not a 405: §4.2.1 makes GET part of what a handshake is, and says a request that is not one
    /// gets "an appropriate error code (such as 400 Bad Request)"; a 405 would claim the resource
    /// takes other methods and owe an `Allow` field.
    public static func inspect(_ head: RequestHead) -> Outcome {
        guard isUpgradeRequest(head) else { return .notWebSocket }
        guard head.version.major > 1 || head.version.minor >= 1 else { return refuse("WebSocket handshake over HTTP/1.0") }
        guard head.method == "GET" else { return refuse("WebSocket handshake with method \(head.method)") }
        guard listHas(head, "connection", "upgrade") else { return refuse("WebSocket handshake without Connection: upgrade") }
        let keys = values(head, "sec-websocket-key")
        guard keys.count == 1, let key = keys.first, Base64.decode(key)?.count == 16 else {
            return refuse(keys.count > 1 ? "more than one Sec-WebSocket-Key" : "Sec-WebSocket-Key is not 16 bytes of base64")
        }
        let versions = values(head, "sec-websocket-version")
        guard versions.count == 1, versions.first == "13" else {
            return .refusal(WebSocketRefusal(
                status: 426, reason: "unsupported Sec-WebSocket-Version",
                headers: [(name: "Sec-WebSocket-Version", value: "13")]))
        }
        let subprotocols = values(head, "sec-websocket-protocol").flatMap(elements)
        let extensions = WebSocketExtensionOffer.parse(values(head, "sec-websocket-extensions"))
        return .offer(WebSocketOffer(key: key, subprotocols: subprotocols, extensions: extensions))
    }

    private static func refuse(_ reason: String) -> Outcome {
        .refusal(WebSocketRefusal(status: 400, reason: reason))
    }

    /// The values of every field named `name` (lowercase), in order.
    private static func values(_ head: RequestHead, _ name: String) -> [String] {
        head.headers.compactMap { ASCII.equalsIgnoringCase($0.name, name) ? $0.value : nil }
    }

    /// The non-empty elements of a comma-separated value, trimmed of spaces and tabs.
    private static func elements(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { element in
            let trimmed = element.drop(while: { $0 == " " || $0 == "\t" })
            let end = trimmed.lastIndex(where: { $0 != " " && $0 != "\t" })
            return end.map { String(trimmed[...$0]) }
        }
    }

    /// Some field named `name` lists `token` (compared ignoring ASCII case).
    private static func listHas(_ head: RequestHead, _ name: String, _ token: String) -> Bool {
        values(head, name).contains { value in elements(value).contains { ASCII.equalsIgnoringCase($0, token) } }
    }
}
