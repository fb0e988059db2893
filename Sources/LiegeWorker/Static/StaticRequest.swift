import LiegePython

/// The request facts the static-file server reads, picked out of the CGI variables in one pass
/// (the same for an HTTP request and a uwsgi packet, whose PATH_INFO nginx sends decoded).
struct StaticRequest {
    var method: [UInt8] = []
    var pathInfo: [UInt8] = []
    var requestURI: [UInt8] = []
    var range: String?
    var ifRange: String?
    var ifNoneMatch: String?
    var ifModifiedSince: String?
    var acceptEncoding: String?

    init(_ request: WSGIRequest) {
        for (name, value) in request.variables {
            switch name {
            case "REQUEST_METHOD": method = value
            case "PATH_INFO": pathInfo = value
            case "REQUEST_URI": requestURI = value
            case "HTTP_RANGE": range = Self.text(value)
            case "HTTP_IF_RANGE": ifRange = Self.text(value)
            case "HTTP_IF_NONE_MATCH": ifNoneMatch = Self.text(value)
            case "HTTP_IF_MODIFIED_SINCE": ifModifiedSince = Self.text(value)
            case "HTTP_ACCEPT_ENCODING": acceptEncoding = Self.text(value)
            default: break
            }
        }
    }

    var isGetOrHead: Bool { method == Self.get || method == Self.head }
    var isHead: Bool { method == Self.head }

    private static let get: [UInt8] = Array("GET".utf8)
    private static let head: [UInt8] = Array("HEAD".utf8)

    private static func text(_ value: [UInt8]) -> String {
        String(decoding: value, as: UTF8.self)
    }
}
