import Dispatch
import Glibc

/// Delivers signals as events on one serial queue (the arbiter's queue), never in a signal handler.
///
/// `init` first blocks the signals in the calling thread (threads created later inherit the mask), then
/// creates one DispatchSource per signal. Create it before spawning children, never set SIGCHLD to SIG_IGN
/// (PLATFORM.md §3). Children get a clean mask and default dispositions from `Processes.spawn`.
public final class SignalSources: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    public init(_ signals: [UnixSignal], queue: DispatchQueue, handler: @escaping @Sendable (UnixSignal) -> Void) {
        SignalSources.block(signals)
        for signal in signals {
            let source = DispatchSource.makeSignalSource(signal: signal.rawValue, queue: queue)
            source.setEventHandler { handler(signal) }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks `signals` in the calling thread (pthread_sigmask SIG_BLOCK).
    public static func block(_ signals: [UnixSignal]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal.rawValue) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Stops delivering (the signals stay handled by libdispatch, so they do not kill the process).
    public func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
