import LiegeHTTP
import LiegePython
import LiegeSystem

/// The worker's `ASGIBackend`: the ASGI thread's view of the loop's connections. Requests arrive through
/// the inbox; answers go into their channels, and the loop sends them as the sockets take them.
/// Everything here but `inbox` and `nextID` is touched by the ASGI thread only.
final class ASGIService: ASGIBackend, @unchecked Sendable {
    let inbox: ASGIInbox
    private let mailbox: LoopMailbox
    private let options: ServingOptions
    private let recorder: RequestRecorder
    let errorLog: (String) -> Void
    private let isStopping: () -> Bool
    private var exchanges: [Int: ASGIExchange] = [:]
    private var sockets: [Int: ASGIWebSocket] = [:]
    var clock: WorkerClock { recorder.clock }
    /// Loop thread: the next connection id.
    private var lastID = 0
    /// A whole response is put together here before it goes to its channel in one write.
    private var scratch: [UInt8] = []
    /// "200 OK" and the like, by status code.
    private var statusLines: [Int: String] = [:]

    init(mailbox: LoopMailbox, options: ServingOptions, observer: RequestObserver, workerID: Int,
         errorLog: @escaping (String) -> Void, isStopping: @escaping () -> Bool) throws(SystemError) {
        inbox = try ASGIInbox()
        self.mailbox = mailbox
        self.options = options
        recorder = RequestRecorder(options: options, observer: observer, workerID: workerID)
        self.errorLog = errorLog
        self.isStopping = isStopping
    }

    /// Loop thread: an id for a new request.
    func makeID() -> Int {
        lastID += 1
        return lastID
    }

    // MARK: ASGIBackend

    func takeEvents() -> [ASGIEvent] {
        let (events, fresh, freshSockets) = inbox.take()
        for exchange in fresh {
            exchanges[exchange.id] = exchange
            exchange.started = recorder.start(exchange.log)
        }
        for socket in freshSockets {
            sockets[socket.id] = socket
            socket.started = recorder.start(socket.log)
        }
        return events
    }

    func receive(_ id: Int) -> ASGIIncoming {
        guard let exchange = exchanges[id] else {
            if let socket = sockets[id] { return receive(socket: socket) }
            return .disconnected(code: 1000)
        }
        let observer = poke(id)
        if exchange.bodyEnded {
            return exchange.channel.watchForDisconnect(observer: observer) ? .disconnected(code: 1000) : .wait
        }
        if exchange.expectsContinue, !exchange.continueSent, exchange.response?.writer.headSent != true,
           exchange.channel.bodyAwaitingData {
            exchange.continueSent = true
            try? Array("HTTP/1.1 100 Continue\r\n\r\n".utf8).withUnsafeBytes {
                try exchange.channel.write($0)
            }
            exchange.channel.notifyLoop()
        }
        switch exchange.channel.takeBody(observer: observer) {
        case .bytes(let bytes, let more):
            if !more { exchange.bodyEnded = true }
            return .body(bytes, more: more)
        case .wait:
            return .wait
        case .failed:
            exchange.bodyEnded = true
            return .disconnected(code: 1000)
        }
    }

    func sendResponse(_ id: Int, head: ASGIResponseHead?, body: UnsafeRawBufferPointer, more: Bool) -> ASGISendResult {
        guard let exchange = exchanges[id], !exchange.completed else { return .gone }
        if let head, !more, exchange.response == nil { return sendWhole(exchange, head: head, body: body) }
        let response = exchange.response ?? makeResponse(for: exchange)
        if let head {
            guard let headers = Self.headers(head.headers) else {
                return .invalid(Self.invalidField)
            }
            let status = "\(head.status) \(HTTPStatus.reason(head.status))"
            try? response.sendHead(status: status, headers: headers, knownLength: more ? nil : body.count)
        } else if !response.writer.headSent {
            return .invalid("'http.response.body' sent before 'http.response.start'")
        }
        if body.count > 0 { try? response.sendBody(body) }
        if more {
            try? response.writer.flush()   // the head goes out even before the first block: a streamed block is never held back
            if exchange.channel.isBroken { return .gone }
            return exchange.channel.writable(observer: poke(id)) ? .sent : .wait
        }
        try? response.finish()
        complete(exchange, status: response.writer.statusCode, exception: false)
        // The Python side calls `finished` for a complete response only when the app raised after it.
        exchanges.removeValue(forKey: id)
        return .sent
    }

    /// The start and the only body part of a response in one call (the common case): the head is written
    /// from the app's bytes as they are and goes out with the body in one piece, with the framing and
    /// the added fields the response writer would give it.
    private func sendWhole(_ exchange: ASGIExchange, head: ASGIResponseHead, body: UnsafeRawBufferPointer) -> ASGISendResult {
        guard head.headers.allSatisfy(Self.isValidField) else { return .invalid(Self.invalidField) }
        let extra = options.addHeaders
        let declared = head.headers.first { HeaderName.matches($0.name, "content-length") }
            .map { String(decoding: $0.value, as: UTF8.self) }
            ?? extra.first { HeaderName.matches($0.name, "content-length") }?.value
        let framing = ResponseFramingRules.framing(statusCode: head.status, appLength: declared.flatMap { Int($0) },
                                                   knownLength: body.count, isHead: exchange.isHead,
                                                   canChunk: exchange.canChunk)
        let keepAlive = exchange.keepAlive && !isStopping()
        var contentLength: Int?
        var sent = 0
        // A body that is not the length the app declared is cut or short: the connection cannot go on.
        var exact = true
        switch framing {
        case .length(let length):
            contentLength = length
            sent = min(length, body.count)
            exact = body.count == length
        case .none(let length): contentLength = length
        case .chunked, .untilClose: break   // not with a known length
        }
        scratch.removeAll(keepingCapacity: true)
        ResponseHead.serialize(version: exchange.version, status: statusLine(head.status), fields: head.headers,
                               extra: extra, date: recorder.clock.httpDate(), server: "liege",
                               contentLength: contentLength, chunked: false, keepAlive: keepAlive, into: &scratch)
        let headBytes = scratch.count
        if sent > 0 { scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[0..<sent])) }
        try? scratch.withUnsafeBytes { try exchange.channel.send($0, parker: nil) }
        exchange.completed = true
        if let started = exchange.started {
            recorder.finish(started, log: exchange.log, status: head.status, exception: false, bodyBytes: sent,
                            headBytes: headBytes, requestBodyBytes: 0)
        }
        exchange.channel.complete(reuse: keepAlive && exact)
        exchanges.removeValue(forKey: exchange.id)
        return .sent
    }

    private func statusLine(_ status: Int) -> String {
        if let line = statusLines[status] { return line }
        let line = "\(status) \(HTTPStatus.reason(status))"
        statusLines[status] = line
        return line
    }

    func writable(_ id: Int) -> Bool {
        guard let channel = exchanges[id]?.channel ?? sockets[id]?.channel else { return true }
        return channel.writable(observer: poke(id))
    }

    func accept(_ id: Int, subprotocol: String?, headers: [(name: [UInt8], value: [UInt8])]) -> ASGISendResult {
        guard let socket = sockets[id] else { return .invalid("'websocket.accept' on an HTTP connection") }
        return accept(socket: socket, subprotocol: subprotocol, headers: headers)
    }

    func sendMessage(_ id: Int, _ message: ASGIOutgoingMessage) -> ASGISendResult {
        guard let socket = sockets[id] else { return .invalid("'websocket.send' on an HTTP connection") }
        return send(socket: socket, message)
    }

    func close(_ id: Int, code: Int, reason: String) -> ASGISendResult {
        guard let socket = sockets[id] else { return .invalid("'websocket.close' on an HTTP connection") }
        return close(socket: socket, code: code, reason: reason)
    }

    func finished(_ id: Int, failure: String?) {
        if let socket = sockets.removeValue(forKey: id) { return finished(socket: socket, failure: failure) }
        guard let exchange = exchanges.removeValue(forKey: id) else {
            // A complete response is forgotten at its last body part.
            if let failure { errorLog("ASGI app raised after its response was complete:\n\(failure)") }
            return
        }
        guard !exchange.completed else {
            if let failure { errorLog("ASGI app raised after its response was complete:\n\(failure)") }
            return
        }
        let response = exchange.response ?? makeResponse(for: exchange)
        if let failure {
            errorLog("ASGI app raised an exception (\(exchange.log.method) \(exchange.log.uri)):\n\(failure)")
        } else if exchange.channel.isGone {
            // The client left first: the app was right to stop.
        } else if !response.writer.headSent {
            errorLog("ASGI app returned without a response (\(exchange.log.method) \(exchange.log.uri))")
        } else {
            errorLog("ASGI app returned before its response was complete (\(exchange.log.method) \(exchange.log.uri))")
        }
        if !response.writer.headSent {
            response.sendError(500)
            complete(exchange, status: 500, exception: failure != nil)
        } else {
            // What was produced goes out; the missing end of the body tells the client it is cut short.
            response.keepAlive = false
            try? response.writer.flush()
            complete(exchange, status: response.writer.statusCode, exception: failure != nil, reuse: false)
        }
    }

    func flush() {
        mailbox.wakeIfPosted()
        recorder.accessLog.flush()
    }

    func log(_ text: String) {
        errorLog(text)
    }

    /// The access log line and the counters of a WebSocket: 101 for its whole life, or the refusal.
    func recordEnd(of socket: ASGIWebSocket, exception: Bool) {
        guard let started = socket.started else { return }
        socket.started = nil
        recorder.finish(started, log: socket.log, status: socket.refusedStatus ?? 101, exception: exception,
                        bodyBytes: 0, headBytes: socket.bytesSent, requestBodyBytes: 0)
    }

    // MARK: helpers

    func poke(_ id: Int) -> ChannelObserver {
        let inbox = inbox
        return ChannelObserver { inbox.post(.poke(id: id)) }
    }

    private func makeResponse(for exchange: ASGIExchange) -> RequestExchange {
        let clock = recorder.clock
        let response = RequestExchange(stream: ChannelStream(parker: nil, watch: nil, sendsDirectly: true), options: options,
                                       dateNow: { clock.httpDate() }, logger: errorLog, isStopping: isStopping)
        response.begin(channel: exchange.channel, version: exchange.version, isHead: exchange.isHead,
                       canChunk: exchange.canChunk, keepAlive: exchange.keepAlive, expectsContinue: false)
        exchange.response = response
        return response
    }

    private func complete(_ exchange: ASGIExchange, status: Int, exception: Bool, reuse: Bool? = nil) {
        guard !exchange.completed, let response = exchange.response else { return }
        exchange.completed = true
        if let started = exchange.started {
            recorder.finish(started, log: exchange.log, status: status, exception: exception, exchange: response,
                            variables: [])
        }
        exchange.channel.complete(reuse: (reuse ?? true) && response.connectionReusable)
        response.end()
    }

    private static let invalidField = "response header names and values must not contain CR, LF or NUL"

    /// A header the head may carry as it is: a name without CR, LF, NUL, colon or space, a value without CR, LF or NUL.
    private static func isValidField(_ field: (name: [UInt8], value: [UInt8])) -> Bool {
        !field.name.isEmpty && !field.name.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 || $0 == 58 || $0 == 32 })
            && !field.value.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
    }

    /// ASGI headers as the response writer takes them (latin-1 text); nil when one holds CR, LF or NUL.
    private static func headers(_ pairs: [(name: [UInt8], value: [UInt8])]) -> [(name: String, value: String)]? {
        guard pairs.allSatisfy(isValidField) else { return nil }
        return pairs.map { (latin1($0.name), latin1($0.value)) }
    }

    private static func latin1(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 128 }) { return String(decoding: bytes, as: UTF8.self) }
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.lazy.map { Unicode.Scalar($0) })
        return text
    }
}
