/// A parsed and validated HTTP/1.x request head.
///
/// Every string holds the bytes as received, decoded as ISO-8859-1 (one character per byte,
/// ASCII unchanged): exactly the "native strings" PEP 3333 asks for in the WSGI environ.
public struct RequestHead: Sendable {
    public var method: String
    /// The raw request-target as sent (`REQUEST_URI`).
    public var target: String
    /// The raw path of the target, before `?`, not percent-decoded. For an absolute-form target
    /// (`http://host/p?q`) this is the path component (`/p`, `/` when empty); for `*` it is `*`;
    /// for a CONNECT authority it is the authority.
    public var path: String
    /// Everything after the first `?` of the target, raw; `""` if none.
    public var query: String
    public var version: HTTPVersion
    /// In order, names as received, values trimmed of surrounding spaces and tabs.
    public var headers: [(name: String, value: String)]
    /// The validated `Content-Length`, nil when absent.
    public var contentLength: Int?
    /// `Transfer-Encoding` with `chunked` as its (only) coding.
    public var isChunked: Bool
    /// HTTP/1.1: true unless `Connection: close`; HTTP/1.0: only with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request.
    public var expectsContinue: Bool

    public init(
        method: String, target: String, path: String, query: String, version: HTTPVersion,
        headers: [(name: String, value: String)], contentLength: Int?, isChunked: Bool,
        keepAlive: Bool, expectsContinue: Bool
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }

    /// The request has a body to read (a length above zero, or chunked).
    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }

    /// The first value of a header, name compared case-insensitively (ASCII).
    public func header(_ name: String) -> String? {
        for field in headers where ASCII.equalsIgnoringCase(field.name, name) {
            return field.value
        }
        return nil
    }
}

/// The outcome of `HTTPHeadParser.parse`.
public enum HeadParseResult: Sendable {
    /// A whole valid head; `consumed` bytes (the head, its final blank line and any skipped leading
    /// blank lines) belong to it, the body or the next pipelined request follows.
    case complete(RequestHead, consumed: Int)
    /// Valid so far; read more bytes and parse the whole buffer again.
    case needMore
    /// Answer `status` and close the connection.
    case failure(HTTPError)
}
