import LiegeHTTP
import LiegePython

/// The WSGI bridge's view of one request on a connection: body in, response out.
final class RequestExchange: WSGIExchange {
    let stream: ByteStream
    let input: InputBuffer
    let writer: ResponseWriter
    private let options: ServingOptions
    private let dateNow: () -> String
    private let logger: (String) -> Void

    var body = RequestBody(contentLength: nil, chunked: false)
    var version = HTTPVersion(major: 1, minor: 1)
    var isHead = false
    var canChunk = true
    var keepAlive = false
    var expectsContinue = false
    private var continueSent = false
    /// Set when the request body turned out malformed or short: the connection must close.
    private(set) var bodyFailure: RequestBody.Failure?
    var bodyBroken: Bool { bodyFailure != nil }

    init(stream: ByteStream, input: InputBuffer, options: ServingOptions, dateNow: @escaping () -> String,
         logger: @escaping (String) -> Void) {
        self.stream = stream
        self.input = input
        self.writer = ResponseWriter(stream: stream)
        self.options = options
        self.dateNow = dateNow
        self.logger = logger
    }

    /// Prepares for the next request on the connection.
    func begin(body: RequestBody, version: HTTPVersion, isHead: Bool, canChunk: Bool, keepAlive: Bool,
               expectsContinue: Bool) {
        self.body = body
        self.version = version
        self.isHead = isHead
        self.canChunk = canChunk
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        continueSent = false
        bodyFailure = nil
        writer.reset()
    }

    func readBody(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if expectsContinue, !continueSent, !body.isComplete, input.isEmpty, !writer.headSent {
            continueSent = true
            try stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        do {
            return try body.read(into: buffer, input: input, stream: stream)
        } catch let failure as RequestBody.Failure {
            bodyFailure = failure
            throw failure
        }
    }

    func sendHead(status: String, headers: [(name: String, value: String)], knownLength: Int?) throws {
        let statusCode = ResponseFramingRules.statusCode(of: status)
        let appLength = headers.first { HeaderName.matches($0.name, "content-length") }.flatMap { Int($0.value) }
        let framing = ResponseFramingRules.framing(
            statusCode: statusCode, appLength: appLength, knownLength: knownLength, isHead: isHead, canChunk: canChunk)
        let allHeaders = options.addHeaders.isEmpty ? headers : headers + options.addHeaders
        writer.start(version: version, status: status, headers: allHeaders, framing: framing,
                     keepAlive: keepAlive, date: dateNow())
    }

    func sendBody(_ bytes: UnsafeRawBufferPointer) throws {
        try writer.body(bytes)
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

    /// Sends a small error page; the connection is closed afterwards unless `keepAlive`.
    func sendError(_ status: Int, keepAlive: Bool = false) {
        let page = ResponseHead.simple(status: status, version: version, body: "\(status) \(HTTPStatus.reason(status))\n",
                                       keepAlive: keepAlive, date: dateNow())
        try? writer.raw(page, statusCode: status)
    }

    /// Whether the connection may carry another request after this response.
    var connectionReusable: Bool {
        keepAlive && !bodyBroken && writer.framing.allowsKeepAlive
            && !writer.mustClose
    }
}
