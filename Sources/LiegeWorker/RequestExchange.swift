import LiegeHTTP
import LiegePython

/// The WSGI bridge's view of one request on a connection: body in, response out.
final class RequestExchange: WSGIExchange {
    let stream: ChannelStream
    let writer: ResponseWriter
    private let options: ServingOptions
    private let dateNow: () -> String
    private let logger: (String) -> Void
    private let isStopping: () -> Bool

    var version = HTTPVersion(major: 1, minor: 1)
    var isHead = false
    var canChunk = true
    var keepAlive = false
    var expectsContinue = false
    /// The body the loop read whole before the app ran (`post-buffering`): read from here, never waited for.
    var bufferedBody: BufferedBody?
    /// What routing asked of this request's response (set after `begin`).
    var routeEffects: RouteEffects?
    private var continueSent = false
    private(set) var bodyBytesRead = 0
    /// Set when the request body turned out malformed or short: the connection must close.
    private(set) var bodyFailure: BodyFailure?
    /// `uwsgi.set_logvar` values of this request (`%(key)` in log-format).
    private(set) var logVariables: [String: String] = [:]
    var bodyBroken: Bool { bodyFailure != nil }

    init(stream: ChannelStream, options: ServingOptions, dateNow: @escaping () -> String,
         logger: @escaping (String) -> Void, isStopping: @escaping () -> Bool) {
        self.stream = stream
        self.writer = ResponseWriter(stream: stream)
        self.options = options
        self.dateNow = dateNow
        self.logger = logger
        self.isStopping = isStopping
    }

    /// Prepares for a request on `channel`.
    func begin(channel: ConnectionChannel, version: HTTPVersion, isHead: Bool, canChunk: Bool, keepAlive: Bool,
               expectsContinue: Bool) {
        stream.channel = channel
        self.version = version
        self.isHead = isHead
        self.canChunk = canChunk
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        continueSent = false
        routeEffects = nil
        bodyFailure = nil
        bodyBytesRead = 0
        if !logVariables.isEmpty { logVariables = [:] }
        writer.reset()
    }

    /// Lets go of the channel once the request is done.
    func end() {
        stream.channel = nil
        bufferedBody = nil
    }

    func readBody(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let bufferedBody {
            let count = try bufferedBody.read(into: buffer)
            bodyBytesRead += count
            return count
        }
        if expectsContinue, !continueSent, !writer.headSent, stream.bodyAwaitingData {
            continueSent = true
            try stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        do {
            let count = try stream.readBody(into: buffer)
            bodyBytesRead += count
            return count
        } catch {
            bodyFailure = error
            throw error
        }
    }

    func sendHead(status: String, headers: [(name: String, value: String)], knownLength: Int?) throws {
        let statusCode = ResponseFramingRules.statusCode(of: status)
        var allHeaders = options.addHeaders.isEmpty ? headers : headers + options.addHeaders
        if let edits = routeEffects?.headers, !edits.isEmpty { allHeaders = edits.apply(to: allHeaders) }
        let appLength = allHeaders.first { HeaderName.matches($0.name, "content-length") }.flatMap { Int($0.value) }
        let framing = ResponseFramingRules.framing(
            statusCode: statusCode, appLength: appLength, knownLength: knownLength, isHead: isHead, canChunk: canChunk)
        if keepAlive, isStopping() { keepAlive = false }   // a stop began: this is the connection's last answer
        writer.start(version: version, status: status, headers: allHeaders, framing: framing,
                     keepAlive: keepAlive, date: dateNow())
    }

    /// Each block the app yields goes to the connection at once (the loop coalesces while the
    /// socket is full): streamed and server-sent-event responses arrive as produced.
    func sendBody(_ bytes: UnsafeRawBufferPointer) throws {
        try writer.body(bytes)
        try writer.flush()
    }

    func sendFile(descriptor: Int32, offset: Int, count: Int?) throws -> Bool {
        try writer.file(descriptor: descriptor, offset: offset, count: count)
    }

    func finish() throws {
        try writer.finish()
    }

    func logError(_ text: String) {
        logger(text)
    }

    func setLogVariable(_ key: String, _ value: String) {
        logVariables[key] = value
    }

    func logVariable(_ key: String) -> String? {
        logVariables[key]
    }

    /// Sends a small error page; the connection is closed afterwards unless `keepAlive`.
    func sendError(_ status: Int, keepAlive: Bool = false) {
        let page = ResponseHead.simple(status: status, version: version, body: "\(status) \(HTTPStatus.reason(status))\n",
                                       keepAlive: keepAlive, date: dateNow())
        try? writer.raw(page, statusCode: status)
        if !keepAlive { self.keepAlive = false }
    }

    /// Whether the connection may carry another request after this response.
    var connectionReusable: Bool {
        keepAlive && !bodyBroken && writer.framing.allowsKeepAlive
            && !writer.mustClose
    }
}
