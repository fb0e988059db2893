import LiegeSystem

/// Tells the scoreboard about each request and writes its access log line; one per thread that
/// answers requests (each app thread, and the loop for static files and its own error answers).
final class RequestRecorder {
    let observer: RequestObserver
    let accessLog: AccessLog
    let clock: WorkerClock
    private let options: ServingOptions
    private let workerID: Int

    init(options: ServingOptions, observer: RequestObserver, workerID: Int) {
        self.options = options
        self.observer = observer
        self.workerID = workerID
        accessLog = AccessLog(format: options.logFormat, prefix: "", policy: options.requestLog)
        clock = WorkerClock(pid: Posix.processID)
    }

    struct Started {
        var micros: Int
        var epochSeconds: Int
    }

    /// `notify`: tell the scoreboard now (an app request); the loop's own answers tell it at `finish`.
    func start(_ log: LogFields, notify: Bool = true) -> Started {
        let started = Started(micros: clock.monotonicMicroseconds(), epochSeconds: clock.epochSeconds())
        if notify { observer.requestStarted("\(log.method) \(log.uri)") }
        return started
    }

    func finish(_ started: Started, log: LogFields, status: Int, exception: Bool, exchange: RequestExchange,
                variables: [(name: String, value: [UInt8])], notifyStart: Bool = false) {
        finish(started, log: log, status: status, exception: exception, bodyBytes: exchange.writer.bodyBytes,
               headBytes: exchange.writer.headBytes, requestBodyBytes: exchange.bodyBytesRead, variables: variables,
               notifyStart: notifyStart, skipLog: exchange.routeEffects?.skipLog == true,
               logVariables: exchange.logVariables)
    }

    /// The same with the byte counts given (a WebSocket's whole life, an ASGI response).
    func finish(_ started: Started, log: LogFields, status: Int, exception: Bool, bodyBytes: Int, headBytes: Int,
                requestBodyBytes: Int, variables: [(name: String, value: [UInt8])] = [], notifyStart: Bool = false,
                skipLog: Bool = false, logVariables: [String: String] = [:]) {
        if notifyStart { observer.requestStarted("\(log.method) \(log.uri)") }
        let duration = clock.monotonicMicroseconds() - started.micros
        observer.requestFinished(exception: exception, status: status, durationMicros: Int64(duration),
                                 bytesSent: bodyBytes + headBytes)
        guard accessLog.policy.mayLog, !skipLog else { return }
        var record = RequestRecord(
            method: log.method, uri: log.uri, proto: log.proto, remoteAddress: log.remoteAddress,
            remoteUser: log.remoteUser, host: log.host, userAgent: log.userAgent, referer: log.referer, status: status,
            bodyBytes: bodyBytes, headerBytes: headBytes,
            requestBodyBytes: requestBodyBytes, contentLength: log.contentLength,
            durationMicroseconds: duration, startEpochSeconds: started.epochSeconds,
            localTime: clock.logTime(), ctime: clock.ctime(), workerID: workerID, pid: clock.pid,
            memory: MemoryReport.sample(level: options.memoryReport, pid: clock.pid),
            variable: { name in variables.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) } })
        record.logVariables = logVariables
        accessLog.append(record)
    }
}
