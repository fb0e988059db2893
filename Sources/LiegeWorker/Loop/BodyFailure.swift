import LiegeHTTP

/// Why a request body could not be read to its end.
enum BodyFailure: Error, Equatable {
    /// The client closed or stalled before sending the declared body.
    case incomplete
    /// The chunked coding was malformed.
    case malformed(HTTPError)
}
