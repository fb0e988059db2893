import LiegeHTTP
import LiegeSystem

extension WorkerLoop {
    /// Starts the timeout that fits what the connection waits for, unless that one already runs.
    func setDeadline(_ connection: LoopConnection) {
        let wait = currentWait(connection)
        guard wait != connection.waiting else { return }
        let previous = connection.waiting
        connection.waiting = wait
        let seconds: Int
        switch wait {
        case .none:
            connection.deadline = 0
            return
        case .header:
            // A head that starts on a fresh connection keeps the clock started at accept.
            if previous == .header || (previous == .none && connection.served == 0 && connection.deadline > 0) { return }
            seconds = connection.timeouts.header
        case .keepAlive: seconds = options.keepAliveSeconds
        case .body: seconds = connection.timeouts.body
        case .write: seconds = connection.timeouts.send
        case .linger: return
        }
        connection.deadline = now + Int64(max(seconds, 1)) * 1000
        noteDeadline(connection.deadline)
    }

    private func currentWait(_ connection: LoopConnection) -> LoopConnection.Wait {
        if connection.lingering { return .linger }
        if connection.dead { return .none }
        if connection.writeBlocked { return .write }
        switch connection.phase {
        case .idle:
            if connection.jobInFlight { return .none }
            return connection.served == 0 ? .header : .keepAlive
        case .head: return .header
        case .body: return connection.jobInFlight && !connection.bodyPaused ? .body : .none
        case .discarding: return .body
        case .responding, .closed: return .none
        }
    }

    func noteDeadline(_ deadline: Int64) {
        // Rounded up to a quarter second so a crowd of connections costs few sweeps.
        let rounded = (deadline + 249) / 250 * 250
        if nextDeadline == 0 || rounded < nextDeadline { nextDeadline = rounded }
    }

    /// Expires what is due and finds the next deadline.
    func sweepDeadlines() {
        nextDeadline = 0
        for case let connection? in connections where connection.deadline > 0 {
            if connection.deadline <= now {
                expire(connection)
            } else {
                noteDeadline(connection.deadline)
            }
        }
    }

    private func expire(_ connection: LoopConnection) {
        let wait = connection.waiting
        connection.deadline = 0
        connection.waiting = .none
        switch wait {
        case .none:
            return
        case .header:
            if connection.input.isEmpty {
                close(connection)   // never sent anything (or idle since accept): closed quietly
                return
            }
            exchange.begin(channel: connection.channel, version: HTTPVersion(major: 1, minor: 1), isHead: false,
                           canChunk: false, keepAlive: false, expectsContinue: false)
            exchange.sendError(408)
            exchange.end()
            connection.lingerOnClose = true
            connection.responseFinished(reuse: false)
            settle(connection)
        case .keepAlive:
            close(connection)
        case .body:
            if connection.postBuffer != nil { return bufferingTimedOut(connection) }
            if connection.jobInFlight {
                connection.mustClose = true
                connection.channel.deliverBody([], end: .failed(.incomplete))
                settle(connection)
            } else {
                close(connection)
            }
        case .write, .linger:
            kill(connection)
        }
    }
}
