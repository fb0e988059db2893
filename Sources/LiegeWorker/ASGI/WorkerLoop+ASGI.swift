import LiegeHTTP
import LiegePython

/// An ASGI app's requests: the loop hands each complete head to the ASGI thread as a scope's
/// raw material, and keeps the connection as it does for WSGI (body, output, completion).
extension WorkerLoop {
    /// A complete HTTP request head when there is no routing and no static-map: nothing needs the
    /// WSGI environ, so it is never built (only its path check stays: a path that does not decode is 400).
    func startASGI(_ asgi: ASGIService, unrouted head: RequestHead, log: LogFields, keepAlive: Bool,
                   on connection: LoopConnection) {
        guard ASGIScopeParts.pathDecodes(head.path) else {
            answerOnLoop(connection, status: 400, log: log, variables: [], version: head.version, keepAlive: false)
            return
        }
        if WebSocketUpgrade.isUpgradeRequest(head), startWebSocket(asgi, head: head, log: log, on: connection) { return }
        connection.channel.beginRequest(hasBody: head.hasBody)
        connection.jobInFlight = true
        startASGI(asgi, head: head, log: log, keepAlive: keepAlive, on: connection)
    }

    /// A complete HTTP request head (its static files and Liege's own errors were answered already).
    func startASGI(_ asgi: ASGIService, head: RequestHead, log: LogFields, keepAlive: Bool, on connection: LoopConnection) {
        let request = ASGIScopeParts.request(head: head, endpoints: connection.endpoints)
        let exchange = ASGIExchange(id: asgi.makeID(), channel: connection.channel, log: log, version: head.version,
                                    isHead: head.method == "HEAD", canChunk: head.version.minor >= 1, keepAlive: keepAlive,
                                    expectsContinue: head.expectsContinue)
        asgi.inbox.post(.http(id: exchange.id, request), exchange: exchange)
    }

    /// A complete uwsgi packet (nginx `uwsgi_pass`): the scope comes from its CGI variables.
    func startASGI(_ asgi: ASGIService, uwsgi variables: [(name: String, value: [UInt8])], log: LogFields,
                   on connection: LoopConnection) {
        func variable(_ name: String) -> [UInt8]? { variables.first { $0.name == name }?.value }
        func text(_ name: String) -> String? { variable(name).map { String(decoding: $0, as: UTF8.self) } }
        var headers: [(name: [UInt8], value: [UInt8])] = []
        for (name, value) in variables {
            if name.hasPrefix("HTTP_") {
                headers.append((ASGIBytes.headerName(name.dropFirst(5)), value))
            } else if name == "CONTENT_TYPE" || name == "CONTENT_LENGTH", !value.isEmpty {
                headers.append((ASGIBytes.headerName(Substring(name)), value))
            }
        }
        let uri = variable("REQUEST_URI") ?? variable("PATH_INFO") ?? Array("/".utf8)
        let rawPath = Array(uri.prefix { $0 != UInt8(ascii: "?") })
        let query = variable("QUERY_STRING") ?? Array(uri.drop { $0 != UInt8(ascii: "?") }.dropFirst())
        let https = text("HTTPS").map { ["on", "1", "true"].contains($0.lowercased()) } ?? false
        let scheme = text("UWSGI_SCHEME") ?? text("REQUEST_SCHEME") ?? (https ? "https" : "http")
        let proto = text("SERVER_PROTOCOL") ?? "HTTP/1.1"
        let client = text("REMOTE_ADDR").map { ($0, Int(text("REMOTE_PORT") ?? "") ?? 0) }
        let server = text("SERVER_NAME").map { name -> (host: String, port: Int?) in (name, Int(text("SERVER_PORT") ?? "")) }
        let request = ASGIRequest(
            method: text("REQUEST_METHOD") ?? "GET", scheme: scheme,
            httpVersion: proto.hasPrefix("HTTP/") ? String(proto.dropFirst(5)) : "1.1", rawPath: rawPath, query: query,
            headers: headers, client: client, server: server)
        let exchange = ASGIExchange(id: asgi.makeID(), channel: connection.channel, log: log,
                                    version: HTTPVersion(major: 1, minor: 1), isHead: log.method == "HEAD",
                                    canChunk: false, keepAlive: false, expectsContinue: false)
        asgi.inbox.post(.http(id: exchange.id, request), exchange: exchange)
    }
}

/// What an HTTP request head gives an ASGI scope.
enum ASGIScopeParts {
    /// The check `EnvironBuilder.variables` makes of a path: its escapes decode, and not to a NUL.
    static func pathDecodes(_ path: String) -> Bool {
        var path = path
        let plain = path.withUTF8 { !$0.contains(UInt8(ascii: "%")) && !$0.contains(0) }
        if plain { return true }
        guard let decoded = PercentDecoding.decode(path) else { return false }
        return !decoded.contains(0)
    }

    static func request(head: RequestHead, endpoints: ConnectionEndpoints) -> ASGIRequest {
        let headers = head.headers.map { (name: ASGIBytes.lowercasedLatin1($0.name), value: ASGIBytes.latin1($0.value)) }
        return ASGIRequest(
            method: head.method, scheme: "http", httpVersion: head.version.minor >= 1 ? "1.1" : "1.0",
            rawPath: ASGIBytes.latin1(head.path), query: ASGIBytes.latin1(head.query), headers: headers,
            client: endpoints.remoteAddress == "-" ? nil : (endpoints.remoteAddress, endpoints.remotePort),
            server: (endpoints.serverName, endpoints.serverPort))
    }
}

/// Byte conversions for ASGI scopes.
enum ASGIBytes {
    /// The bytes of a string that holds one character per byte (the parser's latin-1 text).
    static func latin1(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        if utf8.allSatisfy({ $0 < 128 }) { return utf8 }
        return text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    /// `latin1` and `lowercased` in one pass over an ASCII name (the usual case).
    static func lowercasedLatin1(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 128 { return lowercased(latin1(text)) }
            if byte >= 65, byte <= 90 { bytes[index] = byte + 32 }
        }
        return bytes
    }

    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 >= 65 && $0 <= 90 }) else { return bytes }
        return bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }

    /// `ACCEPT_LANGUAGE` -> `accept-language`.
    static func headerName(_ cgi: Substring) -> [UInt8] {
        cgi.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : ($0 >= 65 && $0 <= 90 ? $0 + 32 : $0) }
    }
}
