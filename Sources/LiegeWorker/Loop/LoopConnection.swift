import LiegeHTTP
import LiegeSystem

/// One client connection as the loop holds it: its socket, the bytes read and not consumed, the
/// protocol state machine, the channel shared with the app thread serving its request, and timers.
/// Touched by the loop thread only.
final class LoopConnection {
    enum Reader {
        case http(HTTPRequestReader)
        case uwsgi(UwsgiRequestReader)
        /// After an ASGI app accepted a WebSocket handshake: frames, until the connection closes.
        case websocket(WebSocketLink)
    }

    let fd: Int32
    let channel: ConnectionChannel
    let endpoints: ConnectionEndpoints
    let input: InputBuffer
    var reader: Reader
    /// What the socket is registered for (nil: not registered).
    var interest: EpollEvents? = []
    /// What the connection is waiting for, against the clock.
    enum Wait: Equatable {
        case none, header, keepAlive, body, write, linger
    }

    /// Its listener's head, body and send timeouts.
    var timeouts = ConnectionTimeouts(header: 30, body: 30, send: 30)
    /// Monotonic milliseconds when the current wait ends (0: none).
    var deadline: Int64 = 0
    var waiting = Wait.none
    /// Close after the current response whatever the reader says (its body timed out).
    var mustClose = false
    /// Linger after our last byte: the client may still be sending (a refused request, an unread body).
    var lingerOnClose = false
    /// A request is with an app thread (its channel will post the completion).
    var jobInFlight = false {
        didSet { countQuietCompletion(before: oldValue && !promptCompletion) }
    }
    /// The body of the request in flight while the loop reads it whole (`post-buffering`); its job is queued
    /// once the body is complete.
    var postBuffer: PostBuffer?
    /// The channel's `promptCompletion` as last set.
    var promptCompletion = true {
        didSet { countQuietCompletion(before: jobInFlight && !oldValue) }
    }
    /// The loop's count of requests whose completion may come without waking it.
    private let quietCompletions: QuietCompletions
    /// Requests answered on this connection.
    var served = 0
    /// The app thread reads the body slower than it arrives: reading is paused.
    var bodyPaused = false
    /// Sending is blocked (the client reads slowly).
    var writeBlocked = false
    /// The peer closed its side (a response may still be sent).
    var peerClosed = false
    /// The socket failed: waiting only for the app thread to let go before closing.
    var dead = false
    /// Our side is shut; reading and dropping until the peer closes (so it sees the last response).
    var lingering = false

    init(fd: Int32, channel: ConnectionChannel, endpoints: ConnectionEndpoints, reader: Reader, inputLimit: Int,
         quietCompletions: QuietCompletions) {
        self.quietCompletions = quietCompletions
        self.fd = fd
        self.channel = channel
        self.endpoints = endpoints
        self.reader = reader
        input = InputBuffer(limit: inputLimit)
    }

    private func countQuietCompletion(before: Bool) {
        let now = jobInFlight && !promptCompletion
        if now != before { quietCompletions.count += now ? 1 : -1 }
    }

    var phase: ReaderPhase {
        switch reader {
        case .http(let http): return http.phase
        case .uwsgi(let uwsgi): return uwsgi.phase
        case .websocket(let link): return link.isOver ? .closed : .responding
        }
    }

    var bodyBytesRead: Int {
        switch reader {
        case .http(let http): return http.bodyBytesRead
        case .uwsgi(let uwsgi): return uwsgi.bodyBytesRead
        case .websocket: return 0
        }
    }

    func peerDidClose() {
        peerClosed = true
        if jobInFlight { channel.peerClosed() }   // ASGI: the app's next receive() gets http.disconnect
        switch reader {
        case .http(var http):
            http.peerDidClose()
            reader = .http(http)
        case .uwsgi(var uwsgi):
            uwsgi.peerDidClose()
            reader = .uwsgi(uwsgi)
        case .websocket(let link):
            link.peerVanished()
        }
    }

    /// The response to the current request is done.
    func responseFinished(reuse: Bool) {
        served += 1
        if !reuse || mustClose, phase == .body { lingerOnClose = true }
        switch reader {
        case .http(var http):
            http.responseFinished(reuse: reuse && !mustClose)
            reader = .http(http)
        case .uwsgi(var uwsgi):
            uwsgi.responseFinished()
            reader = .uwsgi(uwsgi)
        case .websocket:
            lingerOnClose = true   // the client's close frame may still come: read and drop it
        }
    }

    /// Nothing in progress: no request, nothing buffered, nothing to send.
    var isIdle: Bool {
        !jobInFlight && phase == .idle && input.isEmpty && !channel.hasUnsentOutput
    }
}

/// Requests in flight whose completion the app thread posts without waking the loop: while there are any,
/// the loop does not sleep for long (it looks at its mailbox at least every `WorkerLoop.quietPoll`).
final class QuietCompletions {
    var count = 0
}
