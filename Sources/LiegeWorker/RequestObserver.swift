/// What the worker tells its scoreboard slot around each request.
protocol RequestObserver: AnyObject {
    /// `description` is the request line ("GET /path"), shown by stats and harakiri logs.
    func requestStarted(_ description: String)
    /// `status` and `bytesSent` as the client got them, `durationMicros` from start to end of the response.
    func requestFinished(exception: Bool, status: Int, durationMicros: Int64, bytesSent: Int)
    /// True once the worker was asked to stop: no new request is read on a kept-alive connection.
    var isStopping: Bool { get }
}
