import LiegeHTTP
import LiegePython

/// One ASGI HTTP request: made by the loop thread when the head is complete, then owned by the ASGI
/// thread (handed over through the inbox), which answers it through its channel without ever waiting.
final class ASGIExchange: @unchecked Sendable {
    let id: Int
    let channel: ConnectionChannel
    let log: LogFields
    let version: HTTPVersion
    let isHead: Bool
    /// The peer understands chunked coding (an HTTP/1.1 client; not the uwsgi protocol).
    let canChunk: Bool
    let keepAlive: Bool
    let expectsContinue: Bool

    // ASGI thread only, from here on.
    var response: RequestExchange?
    var started: RequestRecorder.Started?
    /// `receive` returned the last of the body.
    var bodyEnded = false
    var continueSent = false
    /// The response ended (the last body part, or a failure): the channel was told.
    var completed = false

    init(id: Int, channel: ConnectionChannel, log: LogFields, version: HTTPVersion, isHead: Bool, canChunk: Bool,
         keepAlive: Bool, expectsContinue: Bool) {
        self.id = id
        self.channel = channel
        self.log = log
        self.version = version
        self.isHead = isHead
        self.canChunk = canChunk
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
