import CPython

/// The state of one request while the app runs: what start_response recorded, whether the head
/// went out, the wsgi.input buffer and the wsgi.errors line buffer. Python objects of the request
/// (`liege.Input`, `liege.Errors`, `liege.Response`) reach it through an unretained pointer that
/// `handle` clears before returning. Touched only with the GIL held.
final class RequestContext {
    let exchange: WSGIExchange
    let bridge: Bridge
    /// How many requests this process started before this one (`uwsgi.request_id()`).
    var number = 0

    // start_response
    var status: String?
    var statusCode = 0
    var headers: [(name: String, value: String)] = []
    var appSetContentLength = false
    var writeCallable: PyPointer?

    // what went out
    var headSent = false
    var bodyBytes = 0
    /// An exchange call threw (client gone, short body): the outcome is `connectionLost`.
    var exchangeFailed = false
    /// A send is in progress with the GIL released (another app thread must not send meanwhile).
    var outputBusy = false

    // wsgi.input
    lazy var input = InputBuffer()   // most requests never read a body
    var inputComplete = false
    var inputBusy = false

    // wsgi.errors
    var errorsBuffer = ""

    init(exchange: WSGIExchange, bridge: Bridge) {
        self.exchange = exchange
        self.bridge = bridge
    }

    /// The context of a holder object, or nil (with a Python ValueError set) when the request is over.
    @inline(__always)
    static func of(_ holder: PyPointer?) -> RequestContext? {
        guard let holder, let raw = swpy_holder_context(holder) else {
            PyErr_SetString(swpy_exc_value_error(), "this WSGI request is already finished")
            return nil
        }
        return Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Sends the head (when still pending) and one non-empty chunk, releasing the GIL once for both.
    /// `knownLength` is the whole body's length when the bridge holds all of it. Returns false when the
    /// exchange threw (and records it); no Python error is set.
    func send(_ chunk: UnsafeRawBufferPointer, knownLength: Int?) -> Bool {
        let head = pendingHead(knownLength: knownLength)
        let exchange = self.exchange
        outputBusy = true
        defer { outputBusy = false }
        let sent: Bool = GIL.released {
            do {
                if let head { try exchange.sendHead(status: head.status, headers: head.headers, knownLength: head.length) }
                try exchange.sendBody(chunk)
                return true
            } catch {
                return false
            }
        }
        guard sent else {
            exchangeFailed = true
            return false
        }
        bodyBytes += chunk.count
        return true
    }

    /// Sends the head alone (empty body, or before sendFile). Returns false when the exchange threw.
    func sendHeadIfPending(knownLength: Int?) -> Bool {
        guard let head = pendingHead(knownLength: knownLength) else { return true }
        let exchange = self.exchange
        outputBusy = true
        defer { outputBusy = false }
        let sent: Bool = GIL.released {
            (try? exchange.sendHead(status: head.status, headers: head.headers, knownLength: head.length)) != nil
        }
        if !sent { exchangeFailed = true }
        return sent
    }

    /// False (RuntimeError set) while another thread of the app is sending for this request.
    func outputAvailable() -> Bool {
        guard outputBusy else { return true }
        PyErr_SetString(swpy_exc_runtime_error(), "the WSGI response was written from two threads at once")
        return false
    }

    /// Marks the head as sent and returns what to send, or nil when it already went out.
    private func pendingHead(knownLength: Int?) -> (status: String, headers: [(name: String, value: String)], length: Int?)? {
        guard !headSent, let status else { return nil }
        headSent = true
        return (status, headers, appSetContentLength ? nil : knownLength)
    }

    /// Passes text to the exchange's log with the GIL released.
    func log(_ text: String) {
        let exchange = self.exchange
        GIL.released { exchange.logError(text) }
    }

    /// Emits what is left in the wsgi.errors buffer.
    func flushErrors() {
        guard !errorsBuffer.isEmpty else { return }
        let text = errorsBuffer.hasSuffix("\n") ? String(errorsBuffer.dropLast()) : errorsBuffer
        errorsBuffer = ""
        log(text)
    }
}
