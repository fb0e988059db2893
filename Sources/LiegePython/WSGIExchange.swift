/// INTERFACE CONTRACT between the worker's connection code (LiegeWorker) and the WSGI bridge.
///
/// The worker builds a `WSGIRequest` for each request and hands it, with an exchange object
/// that owns the connection, to `WSGIApplication.handle(_:exchange:)`. The bridge does all of
/// PEP 3333's logic (start_response and exc_info rules, header validation, "headers go out with
/// the first non-empty body chunk", write(), close(), file_wrapper); the exchange is dumb transport.
/// All exchange methods are called with the GIL *released* (the bridge releases it around them),
/// so they may block on the socket.
public protocol WSGIExchange: AnyObject {
    /// Reads up to `maxBytes` of the (already de-chunked) request body into `buffer`.
    /// Returns the number of bytes read; 0 means the body is complete.
    /// Throws when the client went away or the body was malformed/short (the bridge raises IOError in Python).
    func readBody(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// Sends the response head. `knownLength` is the total body length when the bridge already
    /// holds the whole body (e.g. a one-item list) and the app set no Content-Length itself;
    /// the exchange then sends Content-Length instead of chunked encoding.
    /// `status` is the app's status line ("200 OK"); headers are as the app gave them (validated).
    func sendHead(status: String, headers: [(name: String, value: String)], knownLength: Int?) throws

    /// Sends one non-empty chunk of response body.
    func sendBody(_ bytes: UnsafeRawBufferPointer) throws

    /// Sends `count` bytes (nil = to end of file) of an open file from `offset` (wsgi.file_wrapper fast path).
    /// Returns false when the exchange cannot use sendfile for it (the bridge then reads and sends chunks).
    func sendFile(descriptor: Int32, offset: Int, count: Int?) throws -> Bool

    /// Ends the response body (last chunk for chunked encoding). Called once, after the app's iterable
    /// is exhausted and closed. Not called when `handle` reports a failure.
    func finish() throws

    /// Text written to wsgi.errors, or a traceback: goes to the log.
    func logError(_ text: String)

    /// `uwsgi.set_logvar(key, value)`: a variable for this request's log line (`%(key)` in log-format).
    func setLogVariable(_ key: String, _ value: String)

    /// `uwsgi.get_logvar(key)`: what `setLogVariable` stored for this request.
    func logVariable(_ key: String) -> String?
}

extension WSGIExchange {
    /// An exchange without a request log keeps no variables.
    public func setLogVariable(_ key: String, _ value: String) {}

    public func logVariable(_ key: String) -> String? { nil }
}

/// One request as the app will see it in `environ`.
public struct WSGIRequest {
    /// CGI variables in order: REQUEST_METHOD, SCRIPT_NAME, PATH_INFO (already percent-decoded, as
    /// latin-1 text of the decoded bytes), QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH, SERVER_NAME,
    /// SERVER_PORT, SERVER_PROTOCOL, REMOTE_ADDR, REMOTE_PORT, REQUEST_URI, HTTP_* ..., plus
    /// whatever the uwsgi protocol carried (uwsgi_params). Values are byte strings; the bridge turns
    /// them into Python `str` via latin-1 (PEP 3333 "native strings").
    public var variables: [(name: String, value: [UInt8])]
    /// "http" or "https".
    public var urlScheme: String

    public init(variables: [(name: String, value: [UInt8])], urlScheme: String = "http") {
        self.variables = variables
        self.urlScheme = urlScheme
    }
}

/// What happened to one request, so the worker can log it and decide on the connection.
public enum WSGIOutcome: Sendable, Equatable {
    /// The response was sent completely (sendHead ... finish).
    case completed(status: Int, bodyBytes: Int)
    /// The app failed before the head was sent: nothing was written; the worker answers 500.
    /// The traceback was already passed to `logError`.
    case failedBeforeHead
    /// The app failed after the head went out: the response is truncated; the worker closes the connection.
    case failedAfterHead(status: Int, bodyBytes: Int)
    /// The exchange threw (client gone): the worker closes the connection.
    case connectionLost
}
