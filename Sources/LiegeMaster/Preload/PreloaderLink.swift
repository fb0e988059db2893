import Dispatch
import LiegeSystem

/// The master's end of a preloader's `MessageChannel`, watched by a read source on the arbiter's queue:
/// `spoke` runs whenever the preloader sent something (its `ready`, a `refused N`) or closed the channel.
/// Fork requests are answered on the same channel and read synchronously by `WorkerLauncher.fork`, on the
/// same queue, so the two readers never race. `close` cancels the source, which closes the descriptor
/// (Dispatch needs it open until then); the preloader reads end of file and exits.
final class PreloaderLink {
    let channel: MessageChannel
    private var source: DispatchSourceRead?

    init(channel: MessageChannel, queue: DispatchQueue, spoke: @escaping @Sendable () -> Void) throws(SystemError) {
        self.channel = channel
        try Posix.setNonBlocking(channel.fd, true)
        let source = DispatchSource.makeReadSource(fileDescriptor: channel.fd, queue: queue)
        source.setEventHandler(handler: spoke)
        source.setCancelHandler { channel.close() }
        source.resume()
        self.source = source
    }

    var isOpen: Bool { source != nil }

    /// Every message waiting now (without blocking); `closed` once the preloader's end is gone.
    func pending() -> (messages: [PreloadMessage], closed: Bool) {
        var messages: [PreloadMessage] = []
        while isOpen {
            let received: MessageChannel.Message?
            do {
                received = try channel.receive()
            } catch {
                return (messages, !error.isTimeout)
            }
            guard let message = received else { return (messages, true) }
            message.descriptors.forEach(Posix.close)
            if let parsed = PreloadMessage(text: message.text) { messages.append(parsed) }
        }
        return (messages, true)
    }

    func close() {
        source?.cancel()
        source = nil
    }

    deinit {
        close()
    }
}
