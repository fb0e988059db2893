import Dispatch
import Glibc

/// Delivers signals as events on one serial queue (the arbiter's queue), never in a signal handler.
///
/// `init` first blocks the signals in the calling thread (threads created later inherit the mask), then
/// creates one DispatchSource per signal. Create it before spawning children, never set SIGCHLD to SIG_IGN
/// (PLATFORM.md §3). Children get a clean mask and default dispositions from `Processes.spawn`.
public final class SignalSources: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// Returns once every source is registered, so from then on each signal reaches `handler`. Until
    /// then a no-op handler is installed, so an early signal is lost rather than killing the process.
    /// Must not be called on `queue` itself.
    public init(_ signals: [UnixSignal], queue: DispatchQueue, handler: @escaping @Sendable (UnixSignal) -> Void) {
        dispatchPrecondition(condition: .notOnQueue(queue))
        SignalSources.block(signals)
        let registered = DispatchSemaphore(value: 0)
        for signal in signals {
            Glibc.signal(signal.rawValue, ignoreSignal)
            let source = DispatchSource.makeSignalSource(signal: signal.rawValue, queue: queue)
            source.setEventHandler { handler(signal) }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        for _ in signals { _ = registered.wait(timeout: .now() + 2) }
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

/// Catches a signal and does nothing (unlike SIG_IGN, which would also auto-reap children for SIGCHLD).
private let ignoreSignal: @convention(c) (Int32) -> Void = { _ in }
