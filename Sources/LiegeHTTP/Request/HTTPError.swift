/// A protocol error that knows the response status it should become.
///
/// `reason` is a short message for the log (`"Content-Length with Transfer-Encoding"`),
/// not the status phrase; use `HTTPStatus.reason(status)` for that.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// 400: malformed request line, header, length or chunk.
    public static func badRequest(_ reason: String) -> HTTPError { HTTPError(status: 400, reason: reason) }
    /// 414: the request line alone does not fit in the head buffer.
    public static let uriTooLong = HTTPError(status: 414, reason: "request line longer than the buffer size")
    /// 431: the request head (or uwsgi vars block) does not fit in the buffer.
    public static let headTooLarge = HTTPError(status: 431, reason: "request head larger than the buffer size")
    /// 431: more header (or trailer) fields than `limit-request-fields` allows.
    public static let tooManyFields = HTTPError(status: 431, reason: "more header fields than limit-request-fields")
    /// 501: a transfer coding or protocol modifier Liege does not implement.
    public static func notImplemented(_ reason: String) -> HTTPError { HTTPError(status: 501, reason: reason) }
    /// 505: `HTTP/x.y` other than 1.0 and 1.1.
    public static let versionNotSupported = HTTPError(status: 505, reason: "HTTP version not supported")

    public var description: String { "\(status) \(reason)" }
}
