import LiegeHTTP
import LiegePython

extension WorkerLoop {
    /// Runs the routing table over a request whose head is complete. Nil when the loop answered it
    /// (redirect, return, break, static:); else the request as the next steps see it (rewritten) and
    /// what its response must carry.
    func route(_ request: WSGIRequest, log: LogFields, on connection: LoopConnection, version: HTTPVersion,
               isHead: Bool, keepAlive: Bool) -> (WSGIRequest, RouteEffects?)? {
        guard let router else { return (request, nil) }
        var routed = RouteRequest(variables: request.variables, now: recorder.clock.epochSeconds())
        let outcome = router.engine.route(&routed)
        for line in outcome.logLines { errorLog(line) }
        var request = request
        request.variables = routed.variables
        guard outcome.decision != .serve else { return (request, outcome.effects.isEmpty ? nil : outcome.effects) }
        exchange.begin(channel: connection.channel, version: version, isHead: isHead, canChunk: version.minor >= 1,
                       keepAlive: keepAlive, expectsContinue: false)
        exchange.routeEffects = outcome.effects
        defer { exchange.end() }
        let started = recorder.start(log, notify: false)
        let status = answer(outcome.decision, request: request, router: router)
        recorder.finish(started, log: log, status: status, exception: false, exchange: exchange,
                        variables: request.variables, notifyStart: true)
        connection.responseFinished(reuse: exchange.connectionReusable && !stopping)
        return nil
    }

    /// Sends routing's own answer; the status logged (0: closed without one).
    private func answer(_ decision: RouteOutcome.Decision, request: WSGIRequest, router: RequestRouter) -> Int {
        switch decision {
        case .serve:
            return 0
        case .redirect(let status, let location):
            return send(status, HTTPStatus.line(status), headers: [("Location", Latin1.string(location))],
                        body: status == 301 ? "Moved Permanently" : "Moved")
        case .stop(nil, _):
            exchange.keepAlive = false
            return 0
        case .stop(let status?, let reason):
            exchange.keepAlive = false
            return send(status, "\(status) \(reason.isEmpty ? HTTPStatus.reason(status) : reason)", headers: [], body: "")
        case .respond(let status):
            return send(status, HTTPStatus.line(status), headers: [], body: HTTPStatus.reason(status))
        case .file(let path):
            guard let files = router.files else { return 0 }
            return files.serveFile(path, request: request, exchange: exchange)
        case .failed(let message):
            errorLog(message)
            exchange.sendError(500, keepAlive: exchange.keepAlive)
            return 500
        }
    }

    /// A small plain-text answer, through the exchange (so routing's header edits apply to it).
    private func send(_ code: Int, _ status: String, headers: [(name: String, value: String)], body: String) -> Int {
        let bytes = Array(body.utf8)
        do {
            try exchange.sendHead(status: status, headers: headers + [("Content-Type", "text/plain")],
                                  knownLength: bytes.count)
            try bytes.withUnsafeBytes { try exchange.sendBody($0) }
            try exchange.finish()
        } catch {
            exchange.keepAlive = false
        }
        return code
    }
}
