/// The server side of the ASGI bridge, as the Python thread sees it. The worker implements it over
/// its event loop's connections; every method is called on the ASGI thread with the GIL held, so
/// each must be quick and must never wait.
public protocol ASGIBackend: AnyObject {
    /// Everything posted by the event loop since the last call (drains the wake-up descriptor).
    func takeEvents() -> [ASGIEvent]
    /// The next incoming piece of connection `id`: request body, WebSocket message, or the end.
    /// `.wait` arms a poke: an `ASGIEvent.poke(id)` arrives when there may be more.
    func receive(_ id: Int) -> ASGIIncoming
    /// HTTP: the response head (first call only) and a body part. `.wait`: too much is unsent, wait
    /// for a poke and ask `writable`.
    func sendResponse(_ id: Int, head: ASGIResponseHead?, body: UnsafeRawBufferPointer, more: Bool) -> ASGISendResult
    /// Whether connection `id` takes more output now (false arms a poke).
    func writable(_ id: Int) -> Bool
    /// WebSocket: accept the handshake (101) with an optional subprotocol and extra headers.
    func accept(_ id: Int, subprotocol: String?, headers: [(name: [UInt8], value: [UInt8])]) -> ASGISendResult
    /// WebSocket: one message, text or binary.
    func sendMessage(_ id: Int, _ message: ASGIOutgoingMessage) -> ASGISendResult
    /// WebSocket: close with `code` (before accept: the handshake is denied with 403).
    func close(_ id: Int, code: Int, reason: String) -> ASGISendResult
    /// The app's coroutine for `id` ended; `failure` is its traceback when it raised.
    func finished(_ id: Int, failure: String?)
    /// End of a batch of Python work: what was posted lazily goes out now.
    func flush()
    /// A line for the worker's log.
    func log(_ text: String)
}

/// What the event loop hands to the ASGI thread.
public enum ASGIEvent: Sendable {
    /// A new HTTP request (its head is complete).
    case http(id: Int, ASGIRequest)
    /// A WebSocket handshake waiting for the app's accept or close.
    case websocket(id: Int, ASGIRequest)
    /// Connection `id` may have news: body, a message, room to write, or a disconnect.
    case poke(id: Int)
    /// The worker's loop has ended (every connection is closed): run lifespan shutdown and return.
    case stop
}

/// The parts of a request that become the ASGI scope (names lower-cased, bytes as received).
public struct ASGIRequest: Sendable {
    public var method: String
    public var scheme: String
    public var httpVersion: String
    public var rawPath: [UInt8]
    public var query: [UInt8]
    public var headers: [(name: [UInt8], value: [UInt8])]
    public var client: (host: String, port: Int)?
    public var server: (host: String, port: Int?)?
    public var subprotocols: [String]

    public init(method: String, scheme: String, httpVersion: String, rawPath: [UInt8], query: [UInt8],
                headers: [(name: [UInt8], value: [UInt8])], client: (host: String, port: Int)?,
                server: (host: String, port: Int?)?, subprotocols: [String] = []) {
        self.method = method
        self.scheme = scheme
        self.httpVersion = httpVersion
        self.rawPath = rawPath
        self.query = query
        self.headers = headers
        self.client = client
        self.server = server
        self.subprotocols = subprotocols
    }
}

/// `receive()`'s raw material.
public enum ASGIIncoming {
    case body([UInt8], more: Bool)
    case text(String)
    case binary([UInt8])
    /// Nothing yet: a poke follows.
    case wait
    /// The client went away (HTTP), or the WebSocket closed with this code.
    case disconnected(code: Int)
}

public enum ASGIOutgoingMessage {
    case text(UnsafeRawBufferPointer)
    case binary(UnsafeRawBufferPointer)
}

public struct ASGIResponseHead {
    public var status: Int
    public var headers: [(name: [UInt8], value: [UInt8])]
}

public enum ASGISendResult: Equatable {
    case sent
    /// Sent, but the client is behind: wait for a poke before sending more.
    case wait
    /// The connection is gone: the message is dropped (as uvicorn does).
    case gone
    /// The message breaks the protocol: raised in the app as RuntimeError.
    case invalid(String)
}
