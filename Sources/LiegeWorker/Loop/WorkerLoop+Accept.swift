import LiegeHTTP
import LiegeSystem

extension WorkerLoop {
    /// A listener is readable: take what is waiting, unless a sibling should, or the limit is reached.
    func acceptConnections(from listener: Listener) {
        guard !stopping, !acceptPaused else { return }
        var accepted = 0
        while accepted < 64 {
            guard openCount < options.workerConnections else {
                pauseAccepting(resumeAt: 0)   // resumed when a connection closes
                return
            }
            // Only the first look of a wake-up may pause the listeners (a connection was waiting then);
            // later in the batch a busier worker just stops taking and leaves the rest to its siblings.
            let since = acceptDeferredSince.flatMap { now - $0 <= 4 * policy.patienceMillis ? $0 : nil }
            switch policy.decide(mine: openCount + queue.pending, siblings: loadShare.siblingLoads(),
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
                connection = try SocketIO.accept(listener.fd)
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
            reader = .http(HTTPRequestReader(parser: HTTPHeadParser(maxHeadSize: options.maxHeadSize)))
        case .uwsgi:
            reader = .uwsgi(UwsgiRequestReader(parser: UwsgiPacketParser(maxPacketSize: options.maxHeadSize)))
        }
        let channel = ConnectionChannel(fd: connection.fd, mailbox: mailbox)
        let loopConnection = LoopConnection(fd: connection.fd, channel: channel, endpoints: endpoints, reader: reader,
                                            inputLimit: options.maxHeadSize + 16384)
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

    func pauseAccepting(resumeAt: Int64) {
        acceptResumeAt = resumeAt
        guard !acceptPaused else { return }
        acceptPaused = true
        for listener in listeners { epoll.remove(listener.fd) }
        publishLoad()
    }

    func resumeAccepting() {
        guard acceptPaused, !stopping else { return }
        acceptPaused = false
        acceptResumeAt = 0
        for (index, listener) in listeners.enumerated() {
            try? epoll.add(listener.fd, .readable, token: Self.listenerTokenBase + UInt64(index))
        }
        publishLoad()
    }
}
