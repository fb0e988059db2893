/// What the routing table decided for one request, and what it asked of the response.
struct RouteOutcome {
    enum Decision: Equatable {
        /// Go on to static files, then the app.
        case serve
        /// 301/302 with this Location.
        case redirect(status: Int, location: [UInt8])
        /// `break:` (status nil: close without an answer) or `break:STATUS REASON` (empty body).
        case stop(status: Int?, reason: String)
        /// `return:STATUS`: the reason phrase as a plain-text body.
        case respond(status: Int)
        /// `static:PATH`.
        case file([UInt8])
        /// The table could not be followed for this request (a `goto` to no label): logged, 500.
        case failed(String)
    }

    var decision: Decision = .serve
    var effects = RouteEffects()
    /// `log:` lines, for the worker's log.
    var logLines: [String] = []
}

/// What routing asked of the response, whoever makes it (the app, a static file, routing itself).
struct RouteEffects {
    var headers = ResponseHeaderEdits()
    /// `donotlog`: no access-log line.
    var skipLog = false

    var isEmpty: Bool { headers.isEmpty && !skipLog }
}
