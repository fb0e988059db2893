import LiegeSystem

/// The non-blocking side of a channel that the ASGI thread uses: it never parks; when there is nothing
/// to take or no room to write it leaves an observer, and gets a poke when that changes.
extension ConnectionChannel {
    enum BodyTake {
        case bytes([UInt8], more: Bool)
        /// Nothing buffered yet: the observer is armed.
        case wait
        case failed(BodyFailure)
    }

    /// Takes every body byte buffered now (`more` false with the last of them).
    func takeBody(observer: ChannelObserver) -> BodyTake {
        var resume = false
        let take = state.withLock { state -> BodyTake in
            if state.bodyAvailable > 0 {
                let bytes = state.bodyOffset == 0 ? state.body : Array(state.body[state.bodyOffset...])
                state.body.removeAll(keepingCapacity: true)
                state.bodyOffset = 0
                if state.readPaused {
                    state.readPaused = false
                    resume = true
                }
                return .bytes(bytes, more: state.bodyState == .open)
            }
            switch state.bodyState {
            case .complete: return .bytes([], more: false)
            case .failed(let failure): return .failed(failure)
            case .open:
                if state.readPaused {
                    state.readPaused = false
                    resume = true
                }
                if state.broken || state.peerGone { return .failed(.incomplete) }
                state.observer = observer
                return .wait
            }
        }
        if resume { notifyLoop() }
        return take
    }

    /// After the whole body: true when the client is gone, else the observer is armed (a disconnect pokes).
    func watchForDisconnect(observer: ChannelObserver) -> Bool {
        state.withLock { state in
            if state.broken || state.peerGone { return true }
            state.observer = observer
            return false
        }
    }

    /// Whether the app may send more now; false arms the observer (a poke follows when the socket took enough).
    func writable(observer: ChannelObserver) -> Bool {
        state.withLock { state in
            if state.broken || state.outbound.bufferedBytes <= Self.highWater { return true }
            state.observer = observer
            return false
        }
    }

    /// The client closed its side (loop): an ASGI task waiting for the body or a disconnect hears of it.
    func peerClosed() {
        let observer = state.withLock { state -> ChannelObserver? in
            state.peerGone = true
            return state.takeObserver()
        }
        observer?.notify()
    }

    var isBroken: Bool { state.withLock { $0.broken } }

    /// The client is gone (closed its side, or a send failed).
    var isGone: Bool { state.withLock { $0.broken || $0.peerGone } }


    /// ASGI thread, after queuing the 101: the loop reads WebSocket frames from now on.
    func upgrade(to link: WebSocketLink) {
        state.withLock { $0.upgrade = link }
        notifyLoop()
    }

    /// Loop: the WebSocket to switch to, once.
    func takeUpgrade() -> WebSocketLink? {
        state.withLock { state in
            defer { state.upgrade = nil }
            return state.upgrade
        }
    }

    /// Queues bytes without waiting (ASGI thread or loop); false when the connection is gone. `sendingNow`
    /// (the ASGI thread): they go to the socket at once when nothing is queued ahead, the loop told of the rest.
    @discardableResult
    func queue(_ bytes: [UInt8], sendingNow: Bool = false) -> Bool {
        guard !bytes.isEmpty else { return !isBroken }
        do {
            try bytes.withUnsafeBytes { sendingNow ? try send($0, parker: nil) : try write($0) }
            return true
        } catch {
            return false
        }
    }
}
