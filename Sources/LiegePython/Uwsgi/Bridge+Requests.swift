import CPython

/// Which request each Python thread runs, for the `uwsgi` functions that act on "the current request".
extension Bridge {
    /// Records `context` as the calling thread's request (GIL held); returns the key for `leave`.
    @inline(__always)
    func enter(_ context: RequestContext) -> UnsafeMutableRawPointer? {
        context.number = requestsStarted
        requestsStarted += 1
        guard let state = PyThreadState_Get() else { return nil }
        let key = UnsafeMutableRawPointer(state)
        activeRequests[key] = context
        return key
    }

    @inline(__always)
    func leave(_ key: UnsafeMutableRawPointer?) {
        if let key { activeRequests[key] = nil }
    }

    /// The request of the calling thread (GIL held), nil outside a request.
    func currentRequest() -> RequestContext? {
        guard let state = PyThreadState_Get() else { return nil }
        return activeRequests[UnsafeMutableRawPointer(state)]
    }
}
