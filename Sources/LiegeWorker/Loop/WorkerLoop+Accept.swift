import LiegeHTTP
import LiegeSystem

extension WorkerLoop {
    /// A listener is readable: take what is waiting, unless a sibling should, or the limit is reached.
    func acceptConnections(from listener: Listener) {
        // The stop flag is set before the last response of a recycled worker goes out: its client's next
        // connection must go to another worker, even if the wake-up for the stop comes after this one.
        if state.isStopping { beginStop() }
        guard !stopping, !acceptPaused else { return }
        var accepted = 0
        while accepted < 64 {
            guard openCount < options.workerConnections, mayTakeMoreWork() else {
                pauseAccepting(resumeAt: 0)   // resumed when a connection closes or a request ends
                return
            }
            // Only the first look of a wake-up may pause the listeners (a connection was waiting then);
            // later in the batch a busier worker just stops taking and leaves the rest to its siblings.
            let since = acceptDeferredSince.flatMap { now - $0 <= 4 * policy.patienceMillis ? $0 : nil }
            switch policy.decide(mine: openCount, siblings: loadShare.siblingLoads(),
                                 deferredSince: accepted == 0 ? since : nil, now: now) {
            case .accept: break
            case .deferUntil(let time):
                guard accepted == 0 else { return }
                if since == nil { acceptDeferredSince = now }
                pauseAccepting(resumeAt: time)
                return
            }
            let connection: Connection?
            do {
                connection = try Connection.accept(listener.fd, nonBlocking: true)
            } catch {
                errorLog("accept: \(error)")
                return
            }
            guard let connection else { break }
            acceptDeferredSince = nil
            accepted += 1
            register(connection, on: listener)
            publishLoad()
        }
    }

    private func register(_ connection: Connection, on listener: Listener) {
        let endpoints = ConnectionEndpoints(
            remoteAddress: connection.peer.host.isEmpty ? "-" : connection.peer.host, remotePort: connection.peer.port,
            serverName: listener.serverName, serverPort: listener.serverPort)
        let reader: LoopConnection.Reader
        switch listener.proto {
        case .http:
            reader = .http(HTTPRequestReader(parser: HTTPHeadParser(maxHeadSize: options.maxHeadSize,
                                                                    maxHeaderFields: options.maxHeaderFields)))
        case .uwsgi:
            reader = .uwsgi(UwsgiRequestReader(parser: UwsgiPacketParser(maxPacketSize: options.maxHeadSize)))
        }
        let channel = ConnectionChannel(fd: connection.fd, mailbox: mailbox)
        let loopConnection = LoopConnection(fd: connection.fd, channel: channel, endpoints: endpoints, reader: reader,
                                            inputLimit: options.maxHeadSize + 16384, quietCompletions: quietCompletions)
        loopConnection.timeouts = options.timeouts(for: listener.proto)
        let index = Int(connection.fd)
        if index >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: index - connections.count + 64))
        }
        connections[index] = loopConnection
        openCount += 1
        loopConnection.interest = nil
        setDeadline(loopConnection)
        // TCP_DEFER_ACCEPT usually hands the connection over with its request already there.
        connectionReady(loopConnection, .readable)
    }

    /// While every app thread is busy, a new connection waits in the listen queue (where the other
    /// workers, cheaper's backlog rule and the stats see it) rather than in this worker; each request
    /// that ends lets one more in, so a worker that stays busy still takes its share.
    func mayTakeMoreWork() -> Bool {
        guard queue.allThreadsBusy else { return true }
        // A request taken now waits for one of the running ones to end: never when they are all long
        // (a sibling may be free a moment later), only while this worker's requests end every moment.
        guard queue.finishedWithin(Self.aheadTurnoverMicros) else {
            acceptCredit = 0   // or `resumeIfRoomAgain` would arm the listener again at once
            return false
        }
        if acceptCredit > 0 {
            acceptCredit -= 1
            return true
        }
        // When every sibling is busy too, one request waiting behind the running ones costs nobody
        // anything and lets the app thread go on to it without sleeping. (A single worker leaves it
        // in the listen queue, where the stats and the backlog see it.)
        return queue.pending <= queue.threads && loadShare.hasSiblings && loadShare.siblingLoads().isEmpty
    }

    /// How recently an app thread must have finished a request for a busy worker to take one more.
    static let aheadTurnoverMicros: Int64 = 2000

    /// A request ended or a connection closed: a worker that let a connection pass to a sibling looks
    /// again now rather than after the patience (its own load just went down).
    func reconsiderDeferral() {
        guard acceptPaused, acceptResumeAt > 0, !stopping else { return }
        resumeAccepting()
    }

    /// A paused listener (busy, or at the connection limit) comes back when that no longer holds.
    func resumeIfRoomAgain() {
        guard acceptPaused, acceptResumeAt == 0, !stopping, openCount < options.workerConnections,
              !queue.allThreadsBusy || acceptCredit > 0 else { return }
        resumeAccepting()
    }

    /// Stops taking connections: costs no system call. A pause comes right after a listener fired (it is
    /// unarmed then, one-shot); one still armed fires at most once more and is left unarmed.
    func pauseAccepting(resumeAt: Int64) {
        acceptResumeAt = resumeAt
        acceptPaused = true
        publishLoad()   // also when a deferral turns into a pause until a request ends
    }

    func resumeAccepting() {
        guard acceptPaused, !stopping else { return }
        acceptPaused = false
        acceptResumeAt = 0
        for index in listeners.indices { armListener(index) }
        publishLoad()
    }

    /// Level-triggered one-shot: a connection already waiting is reported as soon as it is armed.
    static let listenerInterest: EpollEvents = [.readable, .oneShot]

    func armListener(_ index: Int) {
        guard !listenerArmed[index] else { return }
        do {
            try epoll.modify(listeners[index].fd, Self.listenerInterest, token: Self.listenerTokenBase + UInt64(index))
            listenerArmed[index] = true
        } catch {
            errorLog("epoll: \(error)")
        }
    }
}
