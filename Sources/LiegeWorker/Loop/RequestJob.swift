import LiegeHTTP
import LiegePython

/// One request whose head is complete, waiting for (or running on) an app thread.
final class RequestJob: @unchecked Sendable {
    let channel: ConnectionChannel
    let request: WSGIRequest
    let log: LogFields
    let version: HTTPVersion
    let isHead: Bool
    let canChunk: Bool
    let keepAlive: Bool
    let expectsContinue: Bool
    /// Which of the vassal's apps answers (`MountRouter`).
    var app = 0
    /// The whole body, read by the loop before the job was queued (`post-buffering`).
    var body: BufferedBody?
    /// What the routing table asked of the response (headers, no log line).
    var routeEffects: RouteEffects?

    init(channel: ConnectionChannel, request: WSGIRequest, log: LogFields, version: HTTPVersion, isHead: Bool,
         canChunk: Bool, keepAlive: Bool, expectsContinue: Bool) {
        self.channel = channel
        self.request = request
        self.log = log
        self.version = version
        self.isHead = isHead
        self.canChunk = canChunk
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
