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
    /// The environ of an HTTP request read from an `http-socket`; nil when the path does not decode
    /// or decodes to a NUL byte (the worker answers 400).
    static func variables(for head: RequestHead, endpoints: ConnectionEndpoints) -> [(name: String, value: [UInt8])]? {
        guard let decodedPath = PercentDecoding.decode(head.path), !decodedPath.contains(0) else { return nil }
        var variables = head.cgiVariables(pathInfo: decodedPath)
        variables.append(("SCRIPT_NAME", []))
        variables.append(("SERVER_NAME", Array(endpoints.serverName.utf8)))
        variables.append(("SERVER_PORT", Array(String(endpoints.serverPort).utf8)))
        variables.append(("REMOTE_ADDR", Array(endpoints.remoteAddress.utf8)))
        variables.append(("REMOTE_PORT", Array(String(endpoints.remotePort).utf8)))
        return variables
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
