/// The CGI variables a WSGI `environ` takes from an HTTP request head (PEP 3333, RFC 3875).
extension RequestHead {
    /// `REQUEST_METHOD`, `REQUEST_URI`, `PATH_INFO` (the given decoded bytes), `QUERY_STRING`,
    /// `SERVER_PROTOCOL`, `CONTENT_LENGTH` when known, then one variable per header name in order
    /// of first appearance (`HTTP_*`, or `CONTENT_TYPE`). Values are the bytes as received.
    ///
    /// - Repeated headers are joined with `", "` (`Cookie` with `"; "`, RFC 6265 §5.4).
    /// - Names containing `_` are dropped: `X_Forwarded_For` would otherwise pose as
    ///   `X-Forwarded-For` once both became `HTTP_X_FORWARDED_FOR` (nginx and gunicorn do the same).
    /// - `Content-Type` and `Content-Length` become `CONTENT_TYPE`/`CONTENT_LENGTH` (no `HTTP_`);
    ///   `CONTENT_LENGTH` is the validated length, absent for chunked bodies.
    /// The worker adds `SCRIPT_NAME`, `SERVER_NAME`, `SERVER_PORT`, `REMOTE_ADDR`, `REMOTE_PORT`.
    public func cgiVariables(pathInfo: [UInt8]) -> [(name: String, value: [UInt8])] {
        var variables: [(name: String, value: [UInt8])] = [
            ("REQUEST_METHOD", Latin1.bytes(method)),
            ("REQUEST_URI", Latin1.bytes(target)),
            ("PATH_INFO", pathInfo),
            ("QUERY_STRING", Latin1.bytes(query)),
            ("SERVER_PROTOCOL", Latin1.bytes(version.description)),
        ]
        variables.reserveCapacity(variables.count + headers.count + 1)
        if let contentLength { variables.append(("CONTENT_LENGTH", Array(String(contentLength).utf8))) }
        let firstHeader = variables.count
        for (name, value) in headers where !name.utf8.contains(0x5F) {
            let key = Self.cgiName(forHeader: name)
            if key == "CONTENT_LENGTH" { continue }
            if let index = variables[firstHeader...].firstIndex(where: { $0.name == key }) {
                variables[index].value.append(contentsOf: key == "HTTP_COOKIE" ? [0x3B, 0x20] : [0x2C, 0x20])
                variables[index].value.append(contentsOf: Latin1.bytes(value))
            } else {
                variables.append((key, Latin1.bytes(value)))
            }
        }
        return variables
    }

    /// `HTTP_ACCEPT_ENCODING` for `Accept-Encoding`; `CONTENT_TYPE` and `CONTENT_LENGTH` bare.
    public static func cgiName(forHeader name: String) -> String {
        var bytes: [UInt8] = Array("HTTP_".utf8)
        bytes.reserveCapacity(5 + name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case 0x2D: bytes.append(0x5F)
            case 0x61...0x7A: bytes.append(byte - 0x20)
            default: bytes.append(byte)
            }
        }
        let key = String(decoding: bytes, as: UTF8.self)
        if key == "HTTP_CONTENT_TYPE" || key == "HTTP_CONTENT_LENGTH" { return String(key.dropFirst(5)) }
        return key
    }
}
