import LiegeSystem

/// One worker thread: accepts connections on every listener and serves them one at a time until
/// the worker is asked to stop.
struct AcceptLoop {
    let id: Int
    let options: ServingOptions
    let apps: AppLoader
    let observer: SlotObserver
    let state: WorkerState
    let listeners: [Listener]
    let logger: Logger
    let lifecycle: WorkerLifecycle

    func run() {
        let accessLog = AccessLog(format: options.logFormat, prefix: "")
        let watch = lifecycle.watch(observer)
        let handler = ConnectionHandler(
            options: options, app: apps, observer: watch, accessLog: accessLog, clock: WorkerClock(pid: Posix.processID),
            workerID: id, errorLog: { [logger] text in logger.error(text) })
        var pollSet = listeners.map { (fd: $0.fd, events: PollEvents.readable) }
        pollSet.append((fd: state.wake.read, events: .readable))
        while !state.isStopping {
            var served = false
            for listener in listeners {
                guard let connection = try? Connection.accept(listener.fd) else { continue }
                served = true
                serve(connection, on: listener, handler: handler, watch: watch)
                if state.isStopping { break }
            }
            if served { continue }
            accessLog.flush()
            // No timeout: a connection or the wake pipe (stop, recycle, master gone) ends the wait, so an
            // idle worker never wakes up on its own.
            _ = try? Posix.poll(pollSet, timeoutMilliseconds: -1)
        }
        accessLog.flush()
    }

    private func serve(_ connection: Connection, on listener: Listener, handler: ConnectionHandler, watch: RequestWatch) {
        watch.connection(connection.fd)
        defer {
            watch.connection(-1)
            connection.close()
        }
        // TCP connections inherit TCP_NODELAY and the socket timeouts from their listener (set once
        // in `Listener.prepare`): no per-connection setsockopt calls.
        let stream = SocketStream(connection: connection, inheritedTimeout: listener.isTCP ? options.socketTimeout : nil,
                                  watch: watch)
        let endpoints = ConnectionEndpoints(
            remoteAddress: connection.peer.host.isEmpty ? "-" : connection.peer.host, remotePort: connection.peer.port,
            serverName: listener.serverName, serverPort: listener.serverPort)
        switch listener.proto {
        case .http: handler.serveHTTP(stream: stream, endpoints: endpoints)
        case .uwsgi: handler.serveUwsgi(stream: stream, endpoints: endpoints)
        }
    }
}
