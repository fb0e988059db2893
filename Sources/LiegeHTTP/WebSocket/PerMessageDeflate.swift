/// The negotiated parameters of permessage-deflate (RFC 7692), server side.
///
/// Make one with `negotiate(_:)` from the client's offers; put `responseValue` in the 101
/// response (`WebSocketAcceptance` does) and hand the value to `WebSocketSession`.
public struct PerMessageDeflate: Sendable, Equatable {
    /// The server compresses each message with an empty window (`server_no_context_takeover`).
    public var serverNoContextTakeover: Bool
    /// The client compresses each message with an empty window (`client_no_context_takeover`);
    /// the server's inflater then starts afresh for each message too.
    public var clientNoContextTakeover: Bool
    /// `server_max_window_bits` of the response (9...15), nil when the client did not limit it.
    /// The server compresses with a window of `2^(serverMaxWindowBits ?? 15)` bytes.
    public var serverMaxWindowBits: Int?
    /// `client_max_window_bits` of the response (8...15), nil to leave the client's window alone.
    /// It never changes what the server accepts: the inflater always has the largest window.
    public var clientMaxWindowBits: Int?

    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The window the server's deflater uses, in bits.
    var deflateWindowBits: Int { serverMaxWindowBits ?? 15 }

    /// The `Sec-WebSocket-Extensions` value accepting the offer:
    /// `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`.
    public var responseValue: String {
        var value = "permessage-deflate"
        if serverNoContextTakeover { value += "; server_no_context_takeover" }
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if let serverMaxWindowBits { value += "; server_max_window_bits=\(serverMaxWindowBits)" }
        if let clientMaxWindowBits { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }
}
