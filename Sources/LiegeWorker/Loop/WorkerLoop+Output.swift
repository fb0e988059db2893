import LiegeHTTP
import LiegeSystem

extension WorkerLoop {
    /// After the reader moved: send what is queued, then close, or wait for the right events and time.
    func settle(_ connection: LoopConnection) {
        guard self.connection(at: connection.fd) === connection, !connection.dead else { return }
        flush(connection)
        guard self.connection(at: connection.fd) === connection, !connection.dead else { return }
        if connection.phase == .closed, !connection.jobInFlight {
            finishAndClose(connection)
            guard self.connection(at: connection.fd) === connection, !connection.dead else { return }
        } else if stopping, connection.isIdle {
            close(connection)
            return
        }
        updateInterest(connection)
        setDeadline(connection)
        if connection.jobInFlight { tellWhetherCompletionIsUrgent(connection) }
    }

    /// A request with the app: its completion needs a wake-up unless the loop watches the socket for the
    /// next request and holds nothing of it yet (then that request, or the loop's short timer while
    /// requests run, brings the loop round).
    private func tellWhetherCompletionIsUrgent(_ connection: LoopConnection) {
        let prompt = connection.interest?.contains(.readable) != true || !connection.input.isEmpty
            || connection.writeBlocked || connection.postBuffer != nil
        guard prompt != connection.promptCompletion else { return }
        connection.promptCompletion = prompt
        if connection.channel.setPromptCompletion(prompt) { lateCompletions.append(connection.channel) }
    }

    /// Sends what the socket takes now.
    func flush(_ connection: LoopConnection) {
        switch connection.channel.flush() {
        case .drained:
            connection.writeBlocked = false
            if connection.waiting == .write { connection.waiting = .none }
        case .blocked:
            connection.writeBlocked = true
            connection.waiting = .none   // progress or not, the write timeout counts from the last attempt
        case .broken:
            kill(connection)
        }
    }

    /// The last response is out (or once it is): close, lingering if the client may still be sending.
    func finishAndClose(_ connection: LoopConnection) {
        guard !connection.channel.hasUnsentOutput else { return }   // settle closes once it drained
        guard connection.lingerOnClose || !connection.input.isEmpty, !connection.peerClosed else {
            close(connection)
            return
        }
        SocketIO.shutdownWrite(connection.fd)
        connection.lingering = true
        connection.input.reset()
        connection.waiting = .linger
        connection.deadline = now + 2000
        noteDeadline(connection.deadline)
        updateInterest(connection)
    }

    /// Reads and drops what a lingering connection still sends, until it closes.
    func drainLingering(_ connection: LoopConnection) {
        while true {
            switch connection.input.fill({ SocketIO.read(connection.fd, into: $0) }) {
            case .done(let count) where count > 0:
                connection.input.reset()
            case .wouldBlock:
                return
            default:
                close(connection)
                return
            }
        }
    }

    /// The socket failed: close now, or (a request still with an app thread) once the thread lets go.
    func kill(_ connection: LoopConnection) {
        abandonBuffering(connection)   // no app thread holds a request whose body was still being read
        connection.channel.breakConnection()
        guard connection.jobInFlight else {
            close(connection)
            return
        }
        connection.dead = true
        if connection.interest != nil {
            epoll.remove(connection.fd)
            connection.interest = nil
        }
        connection.deadline = 0
    }

    func close(_ connection: LoopConnection) {
        guard self.connection(at: connection.fd) === connection else { return }
        connection.channel.breakConnection()
        connection.jobInFlight = false   // no completion will be looked for
        Posix.close(connection.fd)   // leaves the epoll set with it
        connections[Int(connection.fd)] = nil
        openCount -= 1
        reconsiderDeferral()
        publishLoad()
    }

    /// Registers the events the connection needs now.
    func updateInterest(_ connection: LoopConnection) {
        guard !connection.dead else { return }
        var wanted: EpollEvents = []
        if connection.lingering {
            wanted = [.readable]
        } else {
            if wantsToRead(connection) { wanted.formUnion([.readable, .readHangup]) }
            if connection.writeBlocked { wanted.insert(.writable) }
        }
        if wanted.isEmpty, connection.peerClosed {
            // Nothing to wait for but the app thread; a hung-up socket would report itself forever.
            if connection.interest != nil {
                epoll.remove(connection.fd)
                connection.interest = nil
            }
            return
        }
        guard connection.interest != wanted else { return }
        // A fresh connection whose request went to the app joins the set only once it needs to
        // (the next request, a slow client): a request per connection costs no epoll_ctl at all. An ASGI
        // app's connection joins at once: its app hears of a client that goes away (`http.disconnect`).
        if connection.interest == nil, connection.jobInFlight, connection.phase == .responding, !connection.writeBlocked,
           asgi == nil {
            return
        }
        let token = UInt64(UInt32(bitPattern: connection.fd))
        do {
            if connection.interest == nil {
                try epoll.add(connection.fd, wanted, token: token)
            } else {
                try epoll.modify(connection.fd, wanted, token: token)
            }
            connection.interest = wanted
        } catch {
            errorLog("epoll: \(error)")
            kill(connection)
        }
    }
}
