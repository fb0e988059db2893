import LiegeHTTP
import LiegePython

/// Where a connection came from and arrived at, as the environ reports it.
struct ConnectionEndpoints: Sendable {
    var remoteAddress: String
    var remotePort: Int
    var serverName: String
    var serverPort: Int
}

/// Turns a parsed request into the CGI variables of PEP 3333's environ.
enum EnvironBuilder {
    /// The environ of an HTTP request read from an `http-socket`; nil when the path does not decode (400).
    static func variables(for head: RequestHead, endpoints: ConnectionEndpoints) -> [(name: String, value: [UInt8])]? {
        guard let decodedPath = PercentDecoding.decode(head.path), !decodedPath.contains(0) else { return nil }
        var variables: [(name: String, value: [UInt8])] = []
        variables.reserveCapacity(16 + head.headers.count)
        variables.append(("REQUEST_METHOD", Array(head.method.utf8)))
        variables.append(("SCRIPT_NAME", []))
        variables.append(("PATH_INFO", decodedPath))
        variables.append(("QUERY_STRING", Array(head.query.utf8)))
        variables.append(("REQUEST_URI", Array(head.target.utf8)))
        variables.append(("SERVER_PROTOCOL", Array("HTTP/\(head.version.major).\(head.version.minor)".utf8)))
        variables.append(("SERVER_NAME", Array(endpoints.serverName.utf8)))
        variables.append(("SERVER_PORT", Array(String(endpoints.serverPort).utf8)))
        variables.append(("REMOTE_ADDR", Array(endpoints.remoteAddress.utf8)))
        variables.append(("REMOTE_PORT", Array(String(endpoints.remotePort).utf8)))
        var seen: [String: Int] = [:]
        for header in head.headers {
            let key = cgiName(header.name)
            // Names with "_" could spoof another header once "-" became "_": drop them, as gunicorn does.
            if header.name.utf8.contains(UInt8(ascii: "_")) { continue }
            if key == "CONTENT_LENGTH" { continue }  // set below from the validated length
            if let index = seen[key] {
                let separator: [UInt8] = key == "HTTP_COOKIE" ? Array("; ".utf8) : Array(", ".utf8)
                variables[index].value += separator + Array(header.value.utf8)
            } else {
                seen[key] = variables.count
                variables.append((key, Array(header.value.utf8)))
            }
        }
        if let length = head.contentLength {
            variables.append(("CONTENT_LENGTH", Array(String(length).utf8)))
        }
        return variables
    }

    /// "Content-Type" -> CONTENT_TYPE, "X-Forwarded-For" -> HTTP_X_FORWARDED_FOR.
    static func cgiName(_ header: String) -> String {
        var name = ""
        name.reserveCapacity(header.utf8.count + 5)
        let upper = header.uppercased()
        if upper == "CONTENT-TYPE" { return "CONTENT_TYPE" }
        if upper == "CONTENT-LENGTH" { return "CONTENT_LENGTH" }
        name += "HTTP_"
        for character in upper.unicodeScalars {
            name.unicodeScalars.append(character == "-" ? "_" : character)
        }
        return name
    }

    /// The environ of a uwsgi-protocol request: nginx's uwsgi_params as sent, plus what PEP 3333 requires.
    static func variables(for packet: UwsgiRequest, endpoints: ConnectionEndpoints) -> [(name: String, value: [UInt8])] {
        var variables = packet.variables
        let present = Set(variables.map(\.name))
        let defaults: [(String, String)] = [
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", ""), ("PATH_INFO", "/"), ("QUERY_STRING", ""),
            ("SERVER_PROTOCOL", "HTTP/1.0"), ("SERVER_NAME", endpoints.serverName),
            ("SERVER_PORT", String(endpoints.serverPort)), ("REMOTE_ADDR", endpoints.remoteAddress),
        ]
        for (name, value) in defaults where !present.contains(name) {
            variables.append((name, Array(value.utf8)))
        }
        return variables
    }
}
