import Dispatch

/// A tiny server that answers every connection with one document and closes it: the stats server (raw or
/// `stats-http`) and the Prometheus `/metrics` endpoint of masters and the emperor.
///
/// It accepts on its own serial queue (a read source on the non-blocking listener), so a slow client never
/// holds up the caller's loop; reads and writes have a 2 s limit. `respond` runs on that queue.
public final class DocumentServer: @unchecked Sendable {
    /// How connections are spoken to.
    public enum Style: Sendable {
        /// Write the document at once, no request read (uWSGI's stats server; uwsgitop).
        case raw
        /// Read an HTTP request head first and answer with an HTTP/1.0 response.
        case http
    }

    /// What the client asked for; method and path are empty in `.raw` style.
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String

        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }
    }

    /// The answer: in `.raw` style only `body` is sent.
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: String

        public init(status: Int = 200, contentType: String, body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    public let socket: ListeningSocket
    private let style: Style
    private let queue: DispatchQueue
    private let respond: @Sendable (Request) -> Response
    private var source: DispatchSourceRead?
    private let closed = DispatchSemaphore(value: 0)

    /// Binds `address` and starts answering.
    public static func start(_ address: ListenAddress, style: Style, label: String,
                             respond: @escaping @Sendable (Request) -> Response) throws(SystemError) -> DocumentServer {
        let socket = try ListeningSocket.bind(address, backlog: 128)
        let server = DocumentServer(socket: socket, style: style, label: label, respond: respond)
        server.resume()
        return server
    }

    private init(socket: ListeningSocket, style: Style, label: String, respond: @escaping @Sendable (Request) -> Response) {
        self.socket = socket
        self.style = style
        self.queue = DispatchQueue(label: label)
        self.respond = respond
    }

    private func resume() {
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
        source.setEventHandler { [self] in acceptPending() }
        source.setCancelHandler { [socket, closed] in
            socket.close()
            closed.signal()
        }
        source.resume()
        self.source = source
    }

    /// Stops accepting, removes the unix socket file and closes the socket. The socket is closed by the
    /// read source's cancel handler (Dispatch requires it open until then); this waits for that (at most
    /// 5 s), so the address is free when it returns. Not to be called on the server's own queue.
    public func stop() {
        let cancelled: Bool = queue.sync {
            guard let source else { return false }
            source.cancel()
            self.source = nil
            socket.removeSocketFile()
            return true
        }
        if cancelled { _ = closed.wait(timeout: .now() + 5) }
    }

    private func acceptPending() {
        while let connection = try? Connection.accept(socket.fd) {
            serve(connection)
        }
    }

    private func serve(_ connection: Connection) {
        defer { connection.close() }
        _ = try? connection.setTimeouts(seconds: 2)
        var text: String
        switch style {
        case .raw:
            text = respond(Request(method: "", path: "")).body
        case .http:
            guard let request = Self.readRequest(connection) else { return }
            let response = respond(request)
            text = Self.head(response) + response.body
        }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = try? connection.writeAll($0) }
        connection.shutdownWrite()
    }

    /// Reads until the end of the request head (or 16 KB); nil when the client sends nothing usable.
    private static func readRequest(_ connection: Connection) -> Request? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 16384 {
            let count = buffer.withUnsafeMutableBytes { (try? connection.read(into: $0)) ?? 0 }
            if count <= 0 { break }
            received += buffer[0..<count]
            if received.count >= 4, headEnds(received) { break }
        }
        return parseRequestLine(received)
    }

    private static func headEnds(_ bytes: [UInt8]) -> Bool {
        let crlf: [UInt8] = [13, 10, 13, 10]
        return bytes.indices.dropLast(3).contains { bytes[$0..<$0 + 4].elementsEqual(crlf) }
            || bytes.indices.dropLast(1).contains { bytes[$0] == 10 && bytes[$0 + 1] == 10 }
    }

    /// `GET /metrics?x HTTP/1.1` -> method and path without the query; nil when it is no request line.
    static func parseRequestLine(_ bytes: [UInt8]) -> Request? {
        let line = bytes.prefix { $0 != 10 && $0 != 13 }
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard parts.count >= 2, parts[1].hasPrefix("/") else { return nil }
        let target = parts[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? target
        return Request(method: String(parts[0]), path: String(path))
    }

    static func head(_ response: Response) -> String {
        let reason: String
        switch response.status {
        case 200: reason = "OK"
        case 404: reason = "Not Found"
        case 405: reason = "Method Not Allowed"
        case 503: reason = "Service Unavailable"
        default: reason = "Error"
        }
        return "HTTP/1.0 \(response.status) \(reason)\r\nContent-Type: \(response.contentType)\r\n"
            + "Content-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n"
    }
}
