import LiegeHTTP
import LiegeSystem
import Synchronization

/// What a connection's loop side and the Python thread running its request share: the request body
/// as the loop decoded it, the response bytes waiting to be sent, and the request's completion.
/// Every field is behind one lock; a thread that must wait (body not there yet, too much unsent)
/// parks and is woken by the other side.
final class ConnectionChannel: Sendable {
    enum BodyState: Equatable {
        case open
        case complete
        case failed(BodyFailure)
    }

    struct State {
        var outbound = OutboundQueue()
        var body: [UInt8] = []
        var bodyOffset = 0
        var bodyState = BodyState.complete
        /// The peer is gone or a send failed: writes fail from now on.
        var broken = false
        /// The loop stopped reading because the app did not take the body fast enough.
        var readPaused = false
        /// The Python thread waiting on this channel, if any.
        var waiter: Parker?
        /// Set by the Python thread when the response is done: whether the connection may be reused.
        var completion: Bool?
        /// Already in the loop's mailbox.
        var queued = false
        /// ASGI: told once (then forgotten) when body bytes, room to write or a disconnect arrive.
        var observer: ChannelObserver?
        /// The client closed its side while a request was in flight (ASGI's `http.disconnect`).
        var peerGone = false
        /// An accepted WebSocket the loop should read frames for from now on.
        var upgrade: WebSocketLink?
        /// The loop must hear of the completion soon (it holds bytes of a next request, or is not watching
        /// the socket); otherwise a response that went out whole needs no wake-up: the loop, which looks at
        /// its mailbox at least every few milliseconds while requests run, hears of it on its next turn.
        var promptCompletion = true
        /// Bytes of the current request's response were sent or queued by the thread serving it.
        var responseStarted = false

        var bodyAvailable: Int { body.count - bodyOffset }
    }

    /// The loop's connection table index (the socket descriptor).
    let fd: Int32
    let state = Mutex(State())
    private let mailbox: LoopMailbox

    /// Unsent bytes beyond which a writing app thread waits, and below which it is woken again.
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024
    /// Decoded body bytes beyond which the loop stops reading from the socket.
    static let bodyHighWater = 256 * 1024

    init(fd: Int32, mailbox: LoopMailbox) {
        self.fd = fd
        self.mailbox = mailbox
    }

    /// Asks the loop to look at this channel (posted once until it has). `urgent`: wake a sleeping loop
    /// now; otherwise the app thread wakes it when it runs out of work (or the loop's short timer does),
    /// so a busy thread's responses go out in batches instead of one context switch each.
    /// `wakeBeforeIdle` (not urgent): the posting thread wakes the loop before it waits for work; false
    /// leaves it to the loop's next turn.
    func notifyLoop(urgent: Bool = true, wakeBeforeIdle: Bool = true) {
        let post = state.withLock { state -> Bool in
            guard !state.queued else { return false }
            state.queued = true
            return true
        }
        if post {
            mailbox.post(self, urgent: urgent, wakeBeforeIdle: wakeBeforeIdle)
        } else if urgent {
            mailbox.wake()
        } else if wakeBeforeIdle {
            mailbox.wakeBeforeIdle()
        }
    }

    // MARK: app thread side

    /// Reads body bytes, waiting for the loop when none are buffered; 0 at the end of the body.
    func readBody(into buffer: UnsafeMutableRawBufferPointer, parker: Parker) throws(BodyFailure) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            var resume = false
            let outcome = state.withLock { state -> Result<Int, BodyFailure>? in
                if state.bodyAvailable > 0 {
                    let count = min(buffer.count, state.bodyAvailable)
                    state.body.withUnsafeBytes { source in
                        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[state.bodyOffset..<(state.bodyOffset + count)]))
                    }
                    state.bodyOffset += count
                    if state.bodyOffset == state.body.count {
                        state.body.removeAll(keepingCapacity: true)
                        state.bodyOffset = 0
                    }
                    if state.readPaused, state.bodyAvailable < Self.bodyHighWater / 2 {
                        state.readPaused = false
                        resume = true
                    }
                    return .success(count)
                }
                switch state.bodyState {
                case .complete: return .success(0)
                case .failed(let failure): return .failure(failure)
                case .open:
                    if state.readPaused {
                        state.readPaused = false
                        resume = true
                    }
                    state.waiter = parker
                    return nil
                }
            }
            if resume { notifyLoop() }
            if let outcome { return try outcome.get() }
            parker.park()
        }
    }

    /// True when the body is not complete and nothing of it is buffered (a 100 Continue helps).
    var bodyAwaitingData: Bool {
        state.withLock { $0.bodyState == .open && $0.bodyAvailable == 0 }
    }

    /// Queues bytes for the loop to send (the loop's own answers; a thread that calls `notifyLoop` itself).
    /// Throws when the peer is gone.
    func write(_ bytes: UnsafeRawBufferPointer) throws(StreamError) {
        try state.withLock { state throws(StreamError) in
            guard !state.broken else { throw StreamError.closed }
            state.outbound.append(bytes)
        }
    }

    /// A Python thread's response bytes: sent on the socket at once when nothing is queued ahead of
    /// them (no hand-off to the loop and no wake-up for it), the rest queued for the loop. `parker`:
    /// wait while too much is unsent (WSGI); nil: never wait (ASGI, whose sender looks at `writable`).
    /// Throws when the peer is gone.
    func send(_ bytes: UnsafeRawBufferPointer, parker: Parker?) throws(StreamError) {
        let outcome = try state.withLock { state throws(StreamError) -> DirectSend in
            guard !state.broken else { throw StreamError.closed }
            state.responseStarted = true
            guard state.outbound.isEmpty else {
                state.outbound.append(bytes)
                return .queued
            }
            var offset = 0
            while offset < bytes.count {
                switch SocketIO.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
                case .done(let count) where count > 0:
                    offset += count
                case .wouldBlock:
                    state.outbound.append(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                    return .queued
                case .done, .closed, .failed:
                    state.broken = true
                    state.outbound.discard()
                    return .broken
                }
            }
            return .sent
        }
        switch outcome {
        case .sent:
            return
        case .broken:
            notifyLoop()   // the loop closes the connection
            throw StreamError.closed
        case .queued:
            notifyLoop()   // the loop sends the rest as the socket takes it
            guard let parker else { return }
            try waitForDrain(parker)
        }
    }

    private enum DirectSend {
        case sent, queued, broken
    }

    /// Queues a file range (the descriptor is duplicated: the caller keeps and closes its own).
    func sendFile(descriptor: Int32, offset: Int, count: Int, parker: Parker?) throws(StreamError) {
        guard count > 0 else { return }
        guard let own = try? SocketIO.duplicate(descriptor) else { throw StreamError.closed }
        do {
            try state.withLock { state throws(StreamError) in
                guard !state.broken else { throw StreamError.closed }
                state.responseStarted = true
                state.outbound.appendFile(fd: own, offset: offset, count: count)
            }
        } catch {
            Posix.close(own)
            throw error
        }
        if parker != nil { notifyLoop() }
    }

    private func waitForDrain(_ parker: Parker) throws(StreamError) {
        while true {
            let wait = try state.withLock { state throws(StreamError) -> Bool in
                guard !state.broken else { throw StreamError.closed }
                guard state.outbound.bufferedBytes > Self.highWater else { return false }
                state.waiter = parker
                return true
            }
            guard wait else { return }
            parker.park()
        }
    }

    /// The response is done; the loop decides what happens to the connection (with the next batch).
    func complete(reuse: Bool) {
        let prompt = state.withLock { state -> Bool in
            state.completion = reuse
            return !reuse || state.promptCompletion || !state.outbound.isEmpty || state.broken
        } || mailbox.awaitsCompletions
        notifyLoop(urgent: false, wakeBeforeIdle: prompt)
    }

    /// Loop: whether it must be woken for this request's completion (see `State.promptCompletion`).
    /// True when the request completed already: its thread decided against a wake-up before this, so
    /// the loop must look at the completion itself instead of sleeping until it is woken.
    func setPromptCompletion(_ prompt: Bool) -> Bool {
        state.withLock { state in
            state.promptCompletion = prompt
            return prompt && state.completion != nil
        }
    }

    /// Harakiri: a ready-made answer queued whatever the backpressure, sent by the loop (any thread).
    func emergencyAnswer(_ bytes: [UInt8]) {
        state.withLock { state in
            guard !state.broken else { return }
            bytes.withUnsafeBytes { state.outbound.append($0) }
        }
        notifyLoop()
    }

    // MARK: loop side

    /// Starts a new request: resets the body and the completion.
    func beginRequest(hasBody: Bool) {
        state.withLock { state in
            state.body.removeAll(keepingCapacity: true)
            state.bodyOffset = 0
            state.bodyState = hasBody ? .open : .complete
            state.completion = nil
            state.responseStarted = false
            state.readPaused = false
            state.peerGone = false
            state.observer = nil
        }
    }

    /// Adds decoded body bytes (and the end, or a failure); wakes a waiting reader. Returns whether
    /// the loop should stop reading for now (the app is behind).
    @discardableResult
    func deliverBody(_ bytes: [UInt8], end: BodyState?) -> Bool {
        var observer: ChannelObserver?
        let (waiter, pause) = state.withLock { state -> (Parker?, Bool) in
            if !bytes.isEmpty { state.body.append(contentsOf: bytes) }
            if let end { state.bodyState = end }
            let pause = state.bodyState == .open && state.bodyAvailable >= Self.bodyHighWater
            if pause { state.readPaused = true }
            let waiter = state.waiter
            state.waiter = nil
            observer = state.takeObserver()
            return (waiter, pause)
        }
        waiter?.unpark()
        observer?.notify()
        return pause
    }

    /// Sends what the socket takes; wakes a writer waiting for room.
    func flush() -> OutboundQueue.FlushResult {
        var observer: ChannelObserver?
        let (result, waiter) = state.withLock { state -> (OutboundQueue.FlushResult, Parker?) in
            let result = state.outbound.flush(to: fd)
            if result == .broken {
                state.broken = true
                state.outbound.discard()
            }
            var waiter: Parker?
            if result == .broken || state.outbound.bufferedBytes <= Self.lowWater {
                waiter = state.waiter
                state.waiter = nil
                observer = state.takeObserver()
            }
            return (result, waiter)
        }
        waiter?.unpark()
        observer?.notify()
        return result
    }

    /// The connection is gone: writes and body reads fail from now on; a waiting thread wakes.
    func breakConnection(bodyFailure: BodyFailure = .incomplete) {
        var observer: ChannelObserver?
        let waiter = state.withLock { state -> Parker? in
            state.broken = true
            state.outbound.discard()
            if state.bodyState == .open { state.bodyState = .failed(bodyFailure) }
            let waiter = state.waiter
            state.waiter = nil
            observer = state.takeObserver()
            return waiter
        }
        waiter?.unpark()
        observer?.notify()
    }

    /// Takes the posted state for the loop: the completion (if the response ended) and clears `queued`.
    func takeCompletion() -> (completion: Bool?, resumeReading: Bool) {
        state.withLock { state in
            state.queued = false
            let completion = state.completion
            state.completion = nil
            return (completion, !state.readPaused)
        }
    }

    var hasUnsentOutput: Bool { state.withLock { !$0.outbound.isEmpty } }

    /// The thread serving the current request has sent (or queued) part of its response.
    var responseStarted: Bool { state.withLock { $0.responseStarted } }
}
