import LiegeHTTP
import LiegePython
import LiegeSystem

extension WorkerLoop {
    /// The socket is readable (or hung up): read what is there, then let the reader make progress.
    func connectionReady(_ connection: LoopConnection, _ events: EpollEvents) {
        if events.contains(.writable) || events.contains(.error) {
            flush(connection)
            guard !connection.dead, self.connection(at: connection.fd) === connection else { return }
        }
        if events.contains(.readable) || events.contains(.readHangup) || events.contains(.hangup) {
            if connection.lingering {
                drainLingering(connection)
                return
            }
            if wantsToRead(connection) {
                switch connection.input.fill({ SocketIO.read(connection.fd, into: $0) }) {
                case .done: break
                case .wouldBlock: break
                case .closed: connection.peerDidClose()
                case .failed:
                    connection.peerDidClose()
                    connection.channel.breakConnection()
                }
            } else if events.contains(.readHangup) || events.contains(.hangup) {
                connection.peerDidClose()
            }
        }
        advance(connection)
    }

    /// Whether the loop takes more bytes from this socket now.
    func wantsToRead(_ connection: LoopConnection) -> Bool {
        !connection.peerClosed && !connection.bodyPaused && !connection.input.isFull && !connection.dead
    }

    /// Runs the reader over the buffered bytes until it needs more, pauses, or the connection ends.
    func advance(_ connection: LoopConnection) {
        guard !connection.dead, !connection.lingering else { return }
        var finished = false
        while !finished, !connection.bodyPaused {
            switch connection.reader {
            case .http(var http):
                let (consumed, event) = http.next(connection.input.readable, bodyOutput: &bodyScratch)
                connection.reader = .http(http)
                connection.input.consume(consumed)
                finished = handle(event, on: connection) { start($0, on: connection) }
            case .uwsgi(var uwsgi):
                let (consumed, event) = uwsgi.next(connection.input.readable, bodyOutput: &bodyScratch)
                connection.reader = .uwsgi(uwsgi)
                connection.input.consume(consumed)
                finished = handle(event, on: connection) { start($0.request, contentLength: $0.contentLength, on: connection) }
            case .websocket(let link):
                readWebSocket(link, on: connection)
                finished = true
            }
            if self.connection(at: connection.fd) !== connection || connection.dead { return }
        }
        settle(connection)
    }

    /// Acts on one reader event (`start` begins the protocol's request); true when the reader has
    /// nothing more for now.
    private func handle<Start>(_ event: RequestEvent<Start>, on connection: LoopConnection,
                               start: (Start) -> Void) -> Bool {
        switch event {
        case .needData, .paused:
            return true
        case .start(let request):
            start(request)
            return false
        case .body:
            deliverBody(on: connection, end: nil)
            return false
        case .endOfBody:
            deliverBody(on: connection, end: .complete)
            return false
        case .bodyIncomplete:
            deliverBody(on: connection, end: .failed(.incomplete))
            return true
        case .failed(let error):
            malformed(error, on: connection)
            return true
        case .closed:
            connectionEnded(connection)
            return true
        }
    }

    private func deliverBody(on connection: LoopConnection, end: ConnectionChannel.BodyState?) {
        defer { bodyScratch.removeAll(keepingCapacity: true) }
        guard connection.jobInFlight else { return }   // answered by the loop already: the body is dropped
        if connection.waiting == .body { connection.waiting = .none }   // progress: the body timeout starts again
        if connection.postBuffer != nil { return keepBody(on: connection, end: end) }
        if connection.channel.deliverBody(bodyScratch, end: end) { connection.bodyPaused = true }
    }

    /// A complete HTTP request head.
    private func start(_ head: RequestHead, on connection: LoopConnection) {
        let keepAlive = head.keepAlive && options.keepAliveSeconds > 0 && !stopping
        let log = LogFields(head: head, endpoints: connection.endpoints)
        if let asgi, router == nil, staticFiles == nil {
            return startASGI(asgi, unrouted: head, log: log, keepAlive: keepAlive, on: connection)
        }
        guard var variables = EnvironBuilder.variables(for: head, endpoints: connection.endpoints) else {
            // The path does not decode: Liege's own 400, logged like any other answer.
            answerOnLoop(connection, status: 400, log: log, variables: [], version: head.version, keepAlive: false)
            return
        }
        guard let (routed, effects) = route(WSGIRequest(variables: variables), log: log, on: connection,
                                            version: head.version, isHead: head.method == "HEAD", keepAlive: keepAlive)
        else { return }
        variables = routed.variables
        let app = mountedApp(&variables)
        let request = WSGIRequest(variables: variables)
        if serveStatic(request, log: log, on: connection, version: head.version, isHead: head.method == "HEAD",
                       keepAlive: keepAlive, effects: effects) {
            return
        }
        if let asgi {
            if WebSocketUpgrade.isUpgradeRequest(head), startWebSocket(asgi, head: head, log: log, on: connection) { return }
            connection.channel.beginRequest(hasBody: head.hasBody)
            connection.jobInFlight = true
            startASGI(asgi, head: head, log: log, keepAlive: keepAlive, on: connection)
            return
        }
        guard let app else {
            return answerNoApp(connection, log: log, variables: variables, version: head.version, keepAlive: keepAlive)
        }
        let job = RequestJob(channel: connection.channel, request: request, log: log, version: head.version,
                             isHead: head.method == "HEAD", canChunk: head.version.minor >= 1, keepAlive: keepAlive,
                             expectsContinue: head.expectsContinue)
        job.app = app
        job.routeEffects = effects
        dispatch(job, hasBody: head.hasBody, announcedLength: head.contentLength, on: connection)
    }

    /// A complete uwsgi packet.
    private func start(_ packet: UwsgiRequest, contentLength: Int?, on connection: LoopConnection) {
        var variables = EnvironBuilder.variables(for: packet, endpoints: connection.endpoints)
        let log = LogFields(uwsgi: variables)
        let version = HTTPVersion(major: 1, minor: 1)
        let isHead = log.method == "HEAD"
        guard let (routed, effects) = route(WSGIRequest(variables: variables), log: log, on: connection,
                                            version: version, isHead: isHead, keepAlive: false)
        else { return }
        variables = routed.variables
        let app = mountedApp(&variables)
        let request = WSGIRequest(variables: variables)
        if serveStatic(request, log: log, on: connection, version: version, isHead: isHead, keepAlive: false,
                       effects: effects) { return }
        if let asgi {
            connection.channel.beginRequest(hasBody: (contentLength ?? 0) > 0)
            connection.jobInFlight = true
            startASGI(asgi, uwsgi: variables, log: log, on: connection)
            return
        }
        guard let app else { return answerNoApp(connection, log: log, variables: variables, version: version, keepAlive: false) }
        let job = RequestJob(channel: connection.channel, request: request, log: log, version: version, isHead: isHead,
                             canChunk: false, keepAlive: false, expectsContinue: false)
        job.app = app
        job.routeEffects = effects
        dispatch(job, hasBody: (contentLength ?? 0) > 0, announcedLength: contentLength, on: connection)
    }

    /// static-map: answered here, with no Python; false when the app should answer.
    private func serveStatic(_ request: WSGIRequest, log: LogFields, on connection: LoopConnection,
                             version: HTTPVersion, isHead: Bool, keepAlive: Bool, effects: RouteEffects?) -> Bool {
        guard let staticFiles else { return false }
        exchange.begin(channel: connection.channel, version: version, isHead: isHead, canChunk: version.minor >= 1,
                       keepAlive: keepAlive, expectsContinue: false)
        exchange.routeEffects = effects
        defer { exchange.end() }
        let started = recorder.start(log, notify: false)
        guard let status = staticFiles.serve(request, exchange: exchange) else { return false }
        recorder.finish(started, log: log, status: status, exception: false, exchange: exchange,
                        variables: request.variables, notifyStart: true)
        connection.responseFinished(reuse: exchange.connectionReusable && !stopping)
        return true
    }

    /// An answer the loop makes itself for a parsed request (no app involved).
    func answerOnLoop(_ connection: LoopConnection, status: Int, log: LogFields,
                      variables: [(name: String, value: [UInt8])], version: HTTPVersion, keepAlive: Bool) {
        exchange.begin(channel: connection.channel, version: version, isHead: false, canChunk: false,
                       keepAlive: keepAlive, expectsContinue: false)
        let started = recorder.start(log, notify: false)
        exchange.sendError(status, keepAlive: keepAlive)
        recorder.finish(started, log: log, status: status, exception: false, exchange: exchange, variables: variables,
                        notifyStart: true)
        exchange.end()
        connection.responseFinished(reuse: keepAlive && !stopping)
    }

    /// A request the parser refused: its status (unless a response is under way), then close.
    private func malformed(_ error: HTTPError, on connection: LoopConnection) {
        abandonBuffering(connection)   // a buffered body that broke: the app never saw the request
        if connection.jobInFlight {
            // The body broke while the app runs: the app's next read fails, the connection closes after.
            bodyScratch.removeAll(keepingCapacity: true)
            connection.channel.deliverBody([], end: .failed(.malformed(error)))
            return
        }
        errorLog("rejected a malformed request with \(error.status) \(HTTPStatus.reason(error.status))")
        exchange.begin(channel: connection.channel, version: HTTPVersion(major: 1, minor: 1), isHead: false,
                       canChunk: false, keepAlive: false, expectsContinue: false)
        exchange.sendError(error.status)
        exchange.end()
        connection.lingerOnClose = true
        finishAndClose(connection)
    }

    /// The reader is done with the connection (peer closed, or no reuse after a response).
    private func connectionEnded(_ connection: LoopConnection) {
        if connection.jobInFlight { return }   // closed once the app thread lets go
        finishAndClose(connection)
    }
}
