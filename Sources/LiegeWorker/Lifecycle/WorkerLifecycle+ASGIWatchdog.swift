import LiegeSystem

/// harakiri for an ASGI worker. One asyncio loop serves all of the worker's requests, so a request that
/// merely takes long (it awaits) is no reason to end the process, which would cut off every other
/// request. What is: the loop itself blocked by a synchronous call in the app (a blocking client, a
/// `time.sleep`, a CPU-bound view), which stalls them all. The watchdog wakes the ASGI thread now and
/// then while connections are open; a wake-up left untaken for longer than `harakiri` means the loop
/// has not come back, and the worker is ended like a WSGI one (exit status 23, replaced at once).
extension WorkerLifecycle {
    func startASGIWatchdog(inbox: ASGIInbox, mailbox: LoopMailbox, emergency: @escaping @Sendable () -> Void) {
        guard harakiriMicros > 0 else { return }
        // Often enough that a blocked loop is found within about 1.25 x harakiri even when no client sends.
        let probeMicros = min(1_000_000, max(100_000, harakiriMicros / 4))
        _ = WorkerSupport.startThread { [self] in
            var lastProbe: Int64 = 0
            while !state.isStopping || mailbox.openConnections > 0 {
                sleepMilliseconds(100)
                let now = monotonicMicroseconds()
                let blocked = inbox.waitingMicros(now: now)
                if blocked > harakiriMicros {
                    logger.error("HARAKIRI: worker \(id) (pid \(Posix.processID)): its ASGI event loop has not come back for "
                                 + "\(blocked / 1_000_000)s (harakiri \(harakiriMicros / 1_000_000)s): a synchronous call in the "
                                 + "app blocks it; 504 to the requests in flight")
                    emergency()
                    sleepMilliseconds(1000)
                    exitImmediately(Self.harakiriExitStatus)
                }
                if blocked == 0, mailbox.openConnections > 0, now - lastProbe >= probeMicros {
                    lastProbe = now
                    inbox.probe()
                }
            }
        }
    }
}
