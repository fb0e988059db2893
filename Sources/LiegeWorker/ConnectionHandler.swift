import LiegeHTTP
import LiegePython

/// What the worker tells its scoreboard slot around each request.
protocol RequestObserver: AnyObject {
    /// `description` is the request line ("GET /path"), shown by stats and harakiri logs.
    func requestStarted(_ description: String)
    /// `status` and `bytesSent` as the client got them, `durationMicros` from start to end of the response.
    func requestFinished(exception: Bool, status: Int, durationMicros: Int64, bytesSent: Int)
    /// True once the worker was asked to stop: no new request is read on a kept-alive connection.
    var isStopping: Bool { get }
}

/// The app a worker serves, or why it has none (need-app = false keeps serving 503s).
protocol AppProvider: AnyObject {
    var application: WSGIApplication? { get }
}

/// Serves the requests of one connection at a time; one per worker thread.
final class ConnectionHandler {
    private let options: ServingOptions
    private let app: AppProvider
    private let observer: RequestObserver
    private let accessLog: AccessLog
    private let input: InputBuffer
    private let headParser: HTTPHeadParser
    private let uwsgiParser: UwsgiPacketParser
    private let clock: WorkerClock
    private let workerID: Int
    private let errorLog: (String) -> Void
    private let staticFiles: StaticFileServer?

    init(options: ServingOptions, app: AppProvider, observer: RequestObserver, accessLog: AccessLog,
         clock: WorkerClock, workerID: Int, errorLog: @escaping (String) -> Void) {
        self.options = options
        self.app = app
        self.observer = observer
        self.accessLog = accessLog
        self.clock = clock
        self.workerID = workerID
        self.errorLog = errorLog
        staticFiles = StaticFileServer(settings: options.staticFiles, log: errorLog)
        input = InputBuffer(capacity: options.maxHeadSize + 16384)
        headParser = HTTPHeadParser(maxHeadSize: options.maxHeadSize)
        uwsgiParser = UwsgiPacketParser(maxPacketSize: options.maxHeadSize)
    }

    private func makeExchange(_ stream: ByteStream) -> RequestExchange {
        RequestExchange(stream: stream, input: input, options: options, dateNow: { [clock] in clock.httpDate() },
                        logger: errorLog)
    }

    // MARK: HTTP

    func serveHTTP(stream: ByteStream, endpoints: ConnectionEndpoints) {
        input.reset()
        let exchange = makeExchange(stream)
        var first = true
        while true {
            stream.setReadTimeout(seconds: first || options.keepAliveSeconds == 0 ? options.socketTimeout : options.keepAliveSeconds)
            guard let head = readHead(stream: stream, exchange: exchange) else { return }
            first = false
            let keepAlive = head.keepAlive && options.keepAliveSeconds > 0 && !observer.isStopping
            exchange.begin(
                body: RequestBody(contentLength: head.contentLength, chunked: head.isChunked), version: head.version,
                isHead: head.method == "HEAD", canChunk: head.version.minor >= 1, keepAlive: keepAlive,
                expectsContinue: head.expectsContinue)
            stream.setReadTimeout(seconds: options.socketTimeout)
            guard let variables = EnvironBuilder.variables(for: head, endpoints: endpoints) else {
                exchange.sendError(400)
                return
            }
            run(WSGIRequest(variables: variables), exchange: exchange, log: LogFields(head: head, endpoints: endpoints))
            guard exchange.connectionReusable, !observer.isStopping else { return }
            var body = exchange.body
            guard body.discard(limit: 1 << 20, input: input, stream: stream) else { return }
        }
    }

    /// Reads until a whole request head is buffered; answers and returns nil when the request is bad
    /// or the connection ends.
    private func readHead(stream: ByteStream, exchange: RequestExchange) -> RequestHead? {
        // Bytes already searched for the end of the head: a client sending its head in many small
        // pieces must not make each piece re-parse everything before it.
        var searched = 0
        while true {
            let readable = input.readable
            if !readable.isEmpty, searched == 0 || readable.count >= options.maxHeadSize
                || HTTPHeadParser.mayHoldCompleteHead(readable, searchFrom: searched) {
                searched = readable.count
                switch headParser.parse(readable) {
                case .complete(let head, let consumed):
                    input.consume(consumed)
                    return head
                case .failure(let error):
                    exchange.sendError(error.status)
                    logRejected(error.status, endpoints: nil)
                    return nil
                case .needMore:
                    break
                }
            }
            do {
                if try input.fill(from: stream) == 0 {
                    if input.isFull { exchange.sendError(431) }
                    return nil
                }
            } catch StreamError.timedOut {
                // A head started and never finished gets 408; a connection that never sent anything
                // (or stayed idle after a kept-alive response) is closed quietly.
                if !input.isEmpty { exchange.sendError(408) }
                return nil
            } catch {
                return nil
            }
        }
    }

    private func logRejected(_ status: Int, endpoints: ConnectionEndpoints?) {
        errorLog("rejected a malformed request with \(status) \(HTTPStatus.reason(status))")
    }

    // MARK: uwsgi protocol

    func serveUwsgi(stream: ByteStream, endpoints: ConnectionEndpoints) {
        input.reset()
        let exchange = makeExchange(stream)
        stream.setReadTimeout(seconds: options.socketTimeout)
        var packet: UwsgiRequest?
        while packet == nil {
            if !input.isEmpty {
                switch uwsgiParser.parse(input.readable) {
                case .complete(let request, let consumed):
                    input.consume(consumed)
                    packet = request
                    continue
                case .failure(let error):
                    exchange.sendError(error.status)
                    logRejected(error.status, endpoints: endpoints)
                    return
                case .needMore:
                    break
                }
            }
            guard let read = try? input.fill(from: stream), read > 0 else { return }
        }
        guard let packet else { return }
        let variables = EnvironBuilder.variables(for: packet, endpoints: endpoints)
        let length = variables.first { $0.name == "CONTENT_LENGTH" }.flatMap { Int(String(decoding: $0.value, as: UTF8.self)) }
        let method = variables.first { $0.name == "REQUEST_METHOD" }.map { String(decoding: $0.value, as: UTF8.self) }
        exchange.begin(body: RequestBody(contentLength: length, chunked: false), version: HTTPVersion(major: 1, minor: 1),
                       isHead: method == "HEAD", canChunk: false, keepAlive: false, expectsContinue: false)
        run(WSGIRequest(variables: variables), exchange: exchange, log: LogFields(uwsgi: variables))
    }

    // MARK: running the app

    private func run(_ request: WSGIRequest, exchange: RequestExchange, log: LogFields) {
        let started = clock.monotonicMicroseconds()
        let startedEpoch = clock.epochSeconds()
        observer.requestStarted("\(log.method) \(log.uri)")
        var exception = false
        var status: Int
        if let served = staticFiles?.serve(request, exchange: exchange) {
            status = served
        } else if let application = app.application {
            let outcome = application.handle(request, exchange: exchange)
            if let failure = exchange.bodyFailure, !exchange.writer.headSent {
                // The request body was malformed or cut short: the client's fault, answered as such.
                exchange.keepAlive = false
                if case .malformed(let error) = failure { status = error.status } else { status = 400 }
                exchange.sendError(status)
            } else {
                switch outcome {
                case .completed(let code, _):
                    status = code
                case .failedBeforeHead:
                    exception = true
                    exchange.keepAlive = false
                    status = 500
                    exchange.sendError(status)
                case .failedAfterHead(let code, _):
                    // What was produced goes out; the missing end of the body tells the client it is cut short.
                    exception = true
                    exchange.keepAlive = false
                    try? exchange.writer.flush()
                    status = code
                case .connectionLost:
                    exchange.keepAlive = false
                    status = exchange.writer.statusCode
                }
            }
        } else {
            exchange.keepAlive = false
            exchange.sendError(503)
            status = 503
        }
        let duration = clock.monotonicMicroseconds() - started
        observer.requestFinished(exception: exception, status: status, durationMicros: Int64(duration),
                                 bytesSent: exchange.writer.bodyBytes + exchange.writer.headBytes)
        guard options.logRequests else { return }
        let record = RequestRecord(
            method: log.method, uri: log.uri, proto: log.proto, remoteAddress: log.remoteAddress,
            remoteUser: log.remoteUser, host: log.host, userAgent: log.userAgent, referer: log.referer, status: status,
            bodyBytes: exchange.writer.bodyBytes, headerBytes: exchange.writer.headBytes,
            requestBodyBytes: exchange.body.bytesRead, contentLength: log.contentLength,
            durationMicroseconds: duration, startEpochSeconds: startedEpoch,
            localTime: clock.logTime(), ctime: clock.ctime(), workerID: workerID, pid: clock.pid,
            variable: { name in request.variables.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) } })
        accessLog.append(record)
    }
}
