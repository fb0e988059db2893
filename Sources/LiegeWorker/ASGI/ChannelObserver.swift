/// What an ASGI task waiting on a connection leaves with its channel: the loop calls `notify` (once)
/// when the news it waits for may have come, and the task's connection gets a poke.
struct ChannelObserver: Sendable {
    let notify: @Sendable () -> Void
}

extension ConnectionChannel.State {
    /// The observer, cleared (it is told once).
    mutating func takeObserver() -> ChannelObserver? {
        defer { observer = nil }
        return observer
    }
}
