import LiegeSystem

/// One inherited listening socket and what the environ says about it.
struct Listener: Sendable {
    enum Kind: String, Sendable {
        case http
        case uwsgi
    }

    var fd: Int32
    var proto: Kind
    var serverName: String
    var serverPort: Int
    var isTCP: Bool

    /// The sockets the master passed as fd 6, 7, ... with their protocols from `LIEGE_SOCKETS`.
    static func inherited(protocols: String) -> [Listener] {
        var listeners: [Listener] = []
        for (index, name) in protocols.split(separator: ",").enumerated() {
            let fd = WorkerContract.firstSocketFD + Int32(index)
            let proto = Kind(rawValue: String(name)) ?? .http
            let local = try? Connection(fd: fd, peer: .unix(path: "")).localAddress()
            var serverName = "localhost"
            var serverPort = 0
            var isTCP = false
            if let local {
                switch local {
                case .unix(let path): serverName = path.isEmpty ? "localhost" : path
                default:
                    serverName = local.host
                    serverPort = local.port
                    isTCP = true
                }
            }
            try? Posix.setNonBlocking(fd, true)
            listeners.append(Listener(fd: fd, proto: proto, serverName: serverName, serverPort: serverPort, isTCP: isTCP))
        }
        return listeners
    }

    /// Sets, once per worker, what accepted TCP connections inherit from their listener on Linux
    /// (TCP_NODELAY), and TCP_DEFER_ACCEPT on the listener itself. Every worker sets the same values
    /// on the shared socket.
    func prepare(headerTimeout: Int) {
        guard isTCP else { return }
        let socket = Connection(fd: fd, peer: .unix(path: ""))
        try? socket.setTCPNoDelay()   // the listener's own peer is unknown: `setNoDelay` would skip it
        // A connection that never sends is handed over after the header timeout anyway, and then closed.
        try? socket.setDeferAccept(seconds: headerTimeout)
    }
}
