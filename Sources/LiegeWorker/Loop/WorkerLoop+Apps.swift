import LiegeHTTP
import LiegeSystem

/// What the loop does for `mount` and `post-buffering` between a complete request head and the app
/// thread: picks the app (rewriting SCRIPT_NAME / PATH_INFO), and reads a body whole before queueing.
extension WorkerLoop {
    /// The mounted app of a request (SCRIPT_NAME / PATH_INFO rewritten in `variables` when
    /// manage-script-name says so); nil when no app answers it.
    func mountedApp(_ variables: inout [(name: String, value: [UInt8])]) -> Int? {
        options.router.route(&variables)
    }

    /// No app is mounted for the request: answered 500 by the loop, as uWSGI does.
    func answerNoApp(_ connection: LoopConnection, log: LogFields, variables: [(name: String, value: [UInt8])],
                     version: HTTPVersion, keepAlive: Bool) {
        let script = variables.first { $0.name == "SCRIPT_NAME" }.map { String(decoding: $0.value, as: UTF8.self) } ?? ""
        errorLog("no app is mounted for \(log.method) \(log.uri) (SCRIPT_NAME \"\(script)\"): 500")
        answerOnLoop(connection, status: 500, log: log, variables: variables, version: version, keepAlive: keepAlive)
    }

    /// Hands a request to the app threads, or (post-buffering, a request with a body) first keeps its body
    /// until it is complete.
    func dispatch(_ job: RequestJob, hasBody: Bool, announcedLength: Int?, on connection: LoopConnection) {
        connection.jobInFlight = true
        guard options.postBuffering > 0, hasBody else {
            connection.channel.beginRequest(hasBody: hasBody)
            queue.push(job)
            return
        }
        connection.channel.beginRequest(hasBody: false)   // the app reads the buffered body, not the channel
        do {
            connection.postBuffer = try PostBuffer(job: job, limit: options.postBuffering, announcedLength: announcedLength)
        } catch {
            bufferingFailed(connection, job: job, error)
            return
        }
        if job.expectsContinue {
            // The app reads nothing before the body is here: the client is told to send it now.
            Array("HTTP/1.1 100 Continue\r\n\r\n".utf8).withUnsafeBytes { try? connection.channel.write($0) }
        }
    }

    /// Body bytes (and maybe the end) of a request whose body is being buffered.
    func keepBody(on connection: LoopConnection, end: ConnectionChannel.BodyState?) {
        guard let buffer = connection.postBuffer else { return }
        do {
            try buffer.append(bodyScratch)
        } catch {
            bufferingFailed(connection, job: buffer.job, error)
            return
        }
        switch end {
        case nil, .open?:
            return
        case .complete?:
            connection.postBuffer = nil
            buffer.job.body = buffer.finish()
            queue.push(buffer.job)
        case .failed(let failure)?:
            // Cut short (the client went away, or a chunk broke): the app never sees this request.
            abandonBuffering(connection)
            let status: Int
            if case .malformed(let error) = failure { status = error.status } else { status = 400 }
            answerBuffered(buffer.job, status: status, on: connection)
        }
    }

    /// The body of a buffered request stalled past the body timeout: 408, and the connection closes.
    func bufferingTimedOut(_ connection: LoopConnection) {
        guard let buffer = connection.postBuffer else { return }
        abandonBuffering(connection)
        connection.mustClose = true
        answerBuffered(buffer.job, status: 408, on: connection)
        settle(connection)
    }

    /// Drops the body being buffered (its temporary file goes with it); the request is no longer in flight.
    func abandonBuffering(_ connection: LoopConnection) {
        guard connection.postBuffer != nil else { return }
        connection.postBuffer = nil
        connection.jobInFlight = false
    }

    private func bufferingFailed(_ connection: LoopConnection, job: RequestJob, _ error: SystemError) {
        errorLog("post-buffering: \(error)")
        connection.postBuffer = nil
        connection.jobInFlight = false
        connection.mustClose = true
        answerBuffered(job, status: 500, on: connection)
    }

    private func answerBuffered(_ job: RequestJob, status: Int, on connection: LoopConnection) {
        answerOnLoop(connection, status: status, log: job.log, variables: job.request.variables, version: job.version,
                     keepAlive: false)
    }
}
