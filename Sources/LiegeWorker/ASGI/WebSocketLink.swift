import LiegeHTTP
import LiegePython
import Synchronization

/// One accepted WebSocket, shared by the loop thread (which feeds it the client's bytes) and the ASGI
/// thread (which takes the messages and sends its own). The sans-I/O session does the framing; this
/// holds the messages the app has not taken yet and the code its `websocket.disconnect` will carry.
final class WebSocketLink: Sendable {
    enum Message: Sendable {
        case text(String)
        case binary([UInt8])
    }

    /// The session is used only under the link's lock, by one thread at a time.
    private final class SessionBox: @unchecked Sendable {
        let session: WebSocketSession

        init(_ session: WebSocketSession) {
            self.session = session
        }
    }

    private struct State: Sendable {
        let box: SessionBox
        var session: WebSocketSession { box.session }
        var messages: [Message] = []
        var taken = 0
        var queuedBytes = 0
        /// Set once the connection is over for the app: the code of its `websocket.disconnect`.
        var disconnect: Int?
        var observer: ChannelObserver?
        /// The loop stopped reading: the app is behind.
        var readPaused = false
        /// The app's coroutine ended: the connection closes once its last bytes are out.
        var appDone = false

        mutating func takeObserver() -> ChannelObserver? {
            defer { observer = nil }
            return observer
        }
    }

    private let state: Mutex<State>
    /// Message bytes waiting for the app beyond which the loop stops reading the socket.
    static let highWater = 1 << 20

    init(session: WebSocketSession) {
        state = Mutex(State(box: SessionBox(session)))
    }

    // MARK: loop side

    struct Received {
        var output: [UInt8]
        /// Stop reading until the app catches up.
        var pause: Bool
    }

    /// The client's bytes: complete messages queue for the app; pongs and close replies come back as output.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Received {
        var observer: ChannelObserver?
        let received = state.withLock { state -> Received in
            var news = false
            for event in state.session.receive(bytes) {
                switch event {
                case .text(let text):
                    state.messages.append(.text(text))
                    state.queuedBytes += text.utf8.count
                    news = true
                case .binary(let data):
                    state.messages.append(.binary(data))
                    state.queuedBytes += data.count
                    news = true
                case .ping, .pong:
                    break
                case .closed(let code, _):
                    if state.disconnect == nil { state.disconnect = Int(code ?? 1005) }
                    news = true
                case .failed(let code, _):
                    if state.disconnect == nil { state.disconnect = Int(code.rawValue) }
                    news = true
                }
            }
            if news { observer = state.takeObserver() }
            let pause = state.queuedBytes >= Self.highWater
            if pause { state.readPaused = true }
            return Received(output: state.session.takeOutput(), pause: pause)
        }
        observer?.notify()
        return received
    }

    /// The worker stops: close 1001 to the client, `websocket.disconnect` 1001 to the app.
    func goingAway() -> [UInt8] {
        var observer: ChannelObserver?
        let output = state.withLock { state -> [UInt8] in
            if state.session.state == .open { try? state.session.close(code: .goingAway) }
            if state.disconnect == nil { state.disconnect = 1001 }
            observer = state.takeObserver()
            return state.session.takeOutput()
        }
        observer?.notify()
        return output
    }

    /// The TCP connection ended without a close handshake.
    func peerVanished() {
        let observer = state.withLock { state -> ChannelObserver? in
            if state.disconnect == nil { state.disconnect = 1006 }
            return state.takeObserver()
        }
        observer?.notify()
    }

    /// The connection has nothing more to do: the app is done, or the close handshake is complete.
    var isOver: Bool { state.withLock { $0.appDone } }

    var readPaused: Bool { state.withLock { $0.readPaused } }

    // MARK: ASGI thread side

    /// The next message, or the disconnect once every message was taken; `.wait` arms the observer.
    /// `resume`: reading was paused and may go on (tell the loop).
    func take(observer: ChannelObserver) -> (ASGIIncoming, resume: Bool) {
        state.withLock { state in
            if state.taken < state.messages.count {
                let message = state.messages[state.taken]
                state.taken += 1
                if state.taken == state.messages.count {
                    state.messages.removeAll(keepingCapacity: true)
                    state.taken = 0
                }
                var resume = false
                switch message {
                case .text(let text): state.queuedBytes -= text.utf8.count
                case .binary(let data): state.queuedBytes -= data.count
                }
                if state.readPaused, state.queuedBytes < Self.highWater / 2 {
                    state.readPaused = false
                    resume = true
                }
                switch message {
                case .text(let text): return (.text(text), resume)
                case .binary(let data): return (.binary(data), resume)
                }
            }
            if let code = state.disconnect { return (.disconnected(code: code), false) }
            state.observer = observer
            return (.wait, false)
        }
    }

    /// A message from the app, framed; nil once the WebSocket is closing (the message is dropped).
    func send(_ message: ASGIOutgoingMessage) -> [UInt8]? {
        state.withLock { state in
            guard state.disconnect == nil else { return nil }
            do {
                switch message {
                case .text(let bytes): try state.session.sendText(String(decoding: bytes, as: UTF8.self))
                case .binary(let bytes): try state.session.sendBinary(Array(bytes))
                }
            } catch {
                return nil
            }
            return state.session.takeOutput()
        }
    }

    enum CloseOutcome {
        case sent([UInt8])
        case alreadyClosed
        case invalidCode
    }

    /// The app closes (code as it gave it).
    func close(code: Int, reason: String) -> CloseOutcome {
        guard let wire = UInt16(exactly: code), WebSocketCloseCode(rawValue: wire).isAllowedOnWire else {
            return .invalidCode
        }
        return state.withLock { state in
            do {
                try state.session.close(code: WebSocketCloseCode(rawValue: wire), reason: reason)
            } catch {
                return .alreadyClosed
            }
            if state.disconnect == nil { state.disconnect = code }
            return .sent(state.session.takeOutput())
        }
    }

    /// The app's coroutine ended: a WebSocket still open closes with `code`; the output to send.
    func appFinished(code: WebSocketCloseCode) -> [UInt8] {
        state.withLock { state in
            if state.session.state == .open || state.session.state == .closeReceived {
                try? state.session.close(code: code)
            }
            state.appDone = true
            if state.disconnect == nil { state.disconnect = Int(code.rawValue) }
            return state.session.takeOutput()
        }
    }
}
