import LiegeHTTP
import LiegePython
import LiegeSystem

/// A worker's event loop: one thread, one epoll set, every connection of the worker. It accepts,
/// reads and parses (the sans-I/O readers), answers static files and its own errors itself, queues
/// each request whose head is complete for the app threads, and sends what they produce as the
/// sockets take it. It never waits on Python, and Python never waits on a socket.
final class WorkerLoop: @unchecked Sendable {   // used by its own thread only, after being handed over
    static let listenerTokenBase: UInt64 = 1 << 32
    static let mailboxToken: UInt64 = 2 << 32
    static let stopToken: UInt64 = 3 << 32

    let options: ServingOptions
    let listeners: [Listener]
    let state: WorkerState
    let queue: JobQueue
    let mailbox: LoopMailbox
    let epoll: Epoll
    let recorder: RequestRecorder
    let exchange: RequestExchange
    let staticFiles: StaticFileServer?
    let router: RequestRouter?
    let loadShare: LoadShare
    let errorLog: (String) -> Void
    /// An ASGI app's requests go to its thread through this (nil: a WSGI app, through `queue`).
    let asgi: ASGIService?
    var policy = AcceptPolicy()

    /// Indexed by descriptor.
    var connections: [LoopConnection?] = []
    var openCount = 0
    var stopping = false
    /// The worker takes no connection now (stopping, at the connection limit, busy, or letting a sibling
    /// accept); while it is, its listeners are not armed again after they fire.
    var acceptPaused = false
    /// Per listener: registered one-shot and armed (it fired since, or the set dropped it at the stop: false).
    var listenerArmed: [Bool] = []
    var acceptDeferredSince: Int64?
    var acceptResumeAt: Int64 = 0
    /// The earliest connection deadline (0: none), kept approximately: a sweep recomputes it.
    var nextDeadline: Int64 = 0
    var now: Int64 = 0
    /// Decoded body bytes on their way to a channel.
    var bodyScratch: [UInt8] = []
    var publishedLoad = -1
    /// Connections a busy worker may still accept: one after a request ended while it stayed busy.
    var acceptCredit = 0
    let quietCompletions = QuietCompletions()
    /// Channels whose request completed quietly just before the loop asked to be woken for it: looked at
    /// on this turn (they may not be in the mailbox yet, and no wake-up will come for them).
    var lateCompletions: [ConnectionChannel] = []
    /// Milliseconds the loop sleeps at most while a completion may be posted without a wake-up: the
    /// keep-alive timer of a connection whose client sends nothing more starts that much late at worst.
    static let quietPoll = 250

    init(options: ServingOptions, listeners: [Listener], state: WorkerState, queue: JobQueue, mailbox: LoopMailbox,
         observer: RequestObserver, workerID: Int, asgi: ASGIService? = nil,
         errorLog: @escaping (String) -> Void) throws(SystemError) {
        self.options = options
        self.listeners = listeners
        self.state = state
        self.queue = queue
        self.mailbox = mailbox
        self.errorLog = errorLog
        self.asgi = asgi
        epoll = try Epoll()
        recorder = RequestRecorder(options: options, observer: observer, workerID: workerID)
        let clock = recorder.clock
        exchange = RequestExchange(stream: ChannelStream(parker: nil, watch: nil), options: options,
                                   dateNow: { clock.httpDate() }, logger: errorLog, isStopping: { state.isStopping })
        staticFiles = StaticFileServer(settings: options.staticFiles, log: errorLog)
        router = RequestRouter(options: options, log: errorLog)
        loadShare = LoadShare(id: workerID)
        bodyScratch.reserveCapacity(65536)
    }

    /// Serves until the worker stops and the last connection is closed.
    func run() {
        do {
            for (index, listener) in listeners.enumerated() {
                try epoll.add(listener.fd, Self.listenerInterest, token: Self.listenerTokenBase + UInt64(index))
            }
            listenerArmed = Array(repeating: true, count: listeners.count)
            try epoll.add(mailbox.signal.fd, [.readable, .edgeTriggered], token: Self.mailboxToken)
            try epoll.add(state.wake.read, .readable, token: Self.stopToken)
        } catch {
            errorLog("worker event loop: \(error)")
            state.stop()
            return
        }
        if state.isStopping { beginStop() }
        while !(stopping && openCount == 0) {
            if mailbox.emergencyRequested { answerEmergency() }
            queue.wakeIdle()
            asgi?.inbox.announce()
            let timeout = waitTimeout()
            if timeout != 0 { recorder.accessLog.flush() }
            let sleep = timeout != 0 && mailbox.prepareToSleep()
            do {
                try epoll.wait(timeoutMilliseconds: sleep ? timeout : 0) { token, events in
                    handle(token, events)
                }
            } catch {
                errorLog("worker event loop: \(error)")
                break
            }
            if sleep { mailbox.awake() }
            now = monotonicMilliseconds()
            processMailbox()
            if nextDeadline > 0, now >= nextDeadline { sweepDeadlines() }
            if acceptPaused, !stopping, acceptResumeAt > 0, now >= acceptResumeAt { resumeAccepting() }
            resumeIfRoomAgain()
            publishLoad()
        }
        recorder.accessLog.flush()
    }

    private func handle(_ token: UInt64, _ events: EpollEvents) {
        now = monotonicMilliseconds()
        if token < Self.listenerTokenBase {
            guard let connection = connection(at: Int32(truncatingIfNeeded: token)) else { return }
            connectionReady(connection, events)
        } else if token == Self.mailboxToken {
            // Edge-triggered: each signal wakes the loop once; the counter is never read.
        } else if token == Self.stopToken {
            epoll.remove(state.wake.read)
            beginStop()
        } else {
            let index = Int(token - Self.listenerTokenBase)
            guard index < listeners.count else { return }
            listenerArmed[index] = false   // one-shot: reported once until armed again
            acceptConnections(from: listeners[index])
            if !acceptPaused, !stopping { armListener(index) }
        }
    }

    func connection(at fd: Int32) -> LoopConnection? {
        let index = Int(fd)
        guard index >= 0, index < connections.count else { return nil }
        return connections[index]
    }

    /// Milliseconds until the next timer (-1: none; 0: work is waiting).
    private func waitTimeout() -> Int {
        if !lateCompletions.isEmpty { return 0 }
        // While requests are with the app threads, their finished responses may be posted without a
        // wake-up: look every 2 ms at most.
        if queue.pending > 0 { return min(2, timerTimeout().map { $0 } ?? 2) }
        if quietCompletions.count > 0 { return min(Self.quietPoll, timerTimeout() ?? Self.quietPoll) }
        return timerTimeout() ?? -1
    }

    private func timerTimeout() -> Int? {
        var earliest: Int64 = 0
        if nextDeadline > 0 { earliest = nextDeadline }
        if acceptPaused, acceptResumeAt > 0, earliest == 0 || acceptResumeAt < earliest { earliest = acceptResumeAt }
        guard earliest > 0 else { return nil }
        let current = monotonicMilliseconds()
        return earliest <= current ? 0 : Int(earliest - current)
    }

    /// Completions, body reads and resumed reading posted by the app threads.
    private func processMailbox() {
        var channels = mailbox.take()
        if !lateCompletions.isEmpty {
            channels = lateCompletions + channels
            lateCompletions.removeAll()
        }
        for channel in channels {
            let (completion, resume) = channel.takeCompletion()
            guard let connection = connection(at: channel.fd), connection.channel === channel else { continue }
            if asgi != nil { switchToWebSocketIfAccepted(connection) }
            if let reuse = completion {
                connection.jobInFlight = false
                connection.bodyPaused = false   // what the app left of the body is dropped by the reader now
                // A worker that stays busy takes one more connection per finished request; credit does
                // not pile up while it is idle (it would let it take connections once busy again).
                acceptCredit = queue.allThreadsBusy ? 1 : 0
                reconsiderDeferral()
                connection.responseFinished(reuse: reuse && !stopping && !connection.dead)
            }
            if connection.dead {
                if !connection.jobInFlight { close(connection) }
                continue
            }
            if resume, connection.bodyPaused { connection.bodyPaused = false }
            flush(connection)
            if connection.dead || self.connection(at: channel.fd) !== connection { continue }
            advance(connection)
        }
    }

    /// The loop's load as the other workers see it: its open connections, marked not accepting while
    /// it stopped taking connections until a request ends or one closes (busy, or at its limit; see
    /// `mayTakeMoreWork`). A worker that only lets a connection pass to a less loaded sibling for a
    /// moment still counts as accepting: a busy sibling must not take that connection ahead of its own
    /// running requests because it believes nobody else would.
    func publishLoad() {
        if mailbox.awaitsCompletions != acceptPaused { mailbox.awaitsCompletions = acceptPaused }
        let load = openCount
        if asgi != nil, mailbox.openConnections != load { mailbox.openConnections = load }
        let published = acceptPaused && acceptResumeAt == 0 ? load + LoadShare.notAccepting : load
        guard published != publishedLoad else { return }
        publishedLoad = published
        loadShare.publish(published)
    }
}

func monotonicMilliseconds() -> Int64 {
    monotonicMicroseconds() / 1000
}
