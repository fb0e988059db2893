import LiegeHTTP

/// How a response body is delimited on the wire, decided once the head is known.
enum BodyFraming: Equatable {
    /// The app (or the bridge) gave the length: send Content-Length.
    case length(Int)
    /// HTTP/1.1 with no known length: chunked transfer coding.
    case chunked
    /// No length and no chunking (HTTP/1.0 or the uwsgi protocol): the body ends when the connection closes.
    case untilClose
    /// No body may be sent (HEAD, 1xx, 204, 304).
    case none(declaredLength: Int?)

    /// Whether the connection can carry another request after this response.
    var allowsKeepAlive: Bool {
        if case .untilClose = self { return false }
        return true
    }
}

enum ResponseFramingRules {
    /// Decides the framing of a response.
    /// - Parameters:
    ///   - statusCode: the app's status code.
    ///   - appLength: the app's own Content-Length header, if any.
    ///   - knownLength: the length the bridge knows (whole body at hand), if any.
    ///   - isHead: the request was HEAD.
    ///   - canChunk: the peer understands chunked coding (HTTP/1.1 client, not the uwsgi protocol).
    static func framing(statusCode: Int, appLength: Int?, knownLength: Int?, isHead: Bool, canChunk: Bool) -> BodyFraming {
        if isHead || statusCode < 200 || statusCode == 204 || statusCode == 304 {
            return .none(declaredLength: isHead ? headLength(appLength: appLength, knownLength: knownLength) : nil)
        }
        if let length = appLength ?? knownLength { return .length(length) }
        return canChunk ? .chunked : .untilClose
    }

    /// The Content-Length a HEAD response declares: the app's own, else what the bridge holds when it
    /// holds bytes (an app that returns its GET body for HEAD too, a static file). An empty body says
    /// nothing: apps answer HEAD with no body at all (werkzeug returns `()` for every HEAD, a
    /// generator may yield nothing), so `Content-Length: 0` would misstate the GET body.
    static func headLength(appLength: Int?, knownLength: Int?) -> Int? {
        if let appLength { return appLength }
        guard let knownLength, knownLength > 0 else { return nil }
        return knownLength
    }

    /// The status code at the start of a WSGI status line ("200 OK" -> 200).
    static func statusCode(of status: String) -> Int {
        var code = 0
        for byte in status.utf8.prefix(3) {
            guard byte >= 48, byte <= 57 else { return 500 }
            code = code * 10 + Int(byte - 48)
        }
        return code
    }
}
