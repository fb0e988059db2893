import LiegeHTTP

/// The request facts the request log needs, taken before the app runs.
struct LogFields {
    var method = "-"
    var uri = "-"
    var proto = "-"
    var remoteAddress = "-"
    var remoteUser = ""
    var host = ""
    var userAgent = ""
    var referer = ""
    var contentLength = ""

    init(head: RequestHead, endpoints: ConnectionEndpoints) {
        method = head.method
        uri = head.target
        switch (head.version.major, head.version.minor) {
        case (1, 1): proto = "HTTP/1.1"
        case (1, 0): proto = "HTTP/1.0"
        default: proto = "HTTP/\(head.version.major).\(head.version.minor)"
        }
        remoteAddress = endpoints.remoteAddress
        host = head.header("host") ?? ""
        userAgent = head.header("user-agent") ?? ""
        referer = head.header("referer") ?? ""
        contentLength = head.header("content-length") ?? ""
    }

    init(uwsgi variables: [(name: String, value: [UInt8])]) {
        for (name, value) in variables {
            let text = String(decoding: value, as: UTF8.self)
            switch name {
            case "REQUEST_METHOD": method = text
            case "REQUEST_URI": uri = text
            case "SERVER_PROTOCOL": proto = text
            case "REMOTE_ADDR": remoteAddress = text
            case "REMOTE_USER": remoteUser = text
            case "HTTP_HOST": host = text
            case "HTTP_USER_AGENT": userAgent = text
            case "HTTP_REFERER": referer = text
            case "CONTENT_LENGTH": contentLength = text
            default: break
            }
        }
    }
}
