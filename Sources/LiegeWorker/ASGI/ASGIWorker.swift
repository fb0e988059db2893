import LiegePython
import LiegeSystem

/// A worker serving an ASGI app: the service the event loop posts to, and the asyncio host that runs
/// the app on the worker's main thread.
struct ASGIWorker: Sendable {
    let service: ASGIService
    let host: ASGIHost
    let loopName: String

    /// Makes the service and the host and runs the lifespan startup; nil (logged) when it failed.
    static func start(app: ASGIApplication, id: Int, options: ServingOptions, mailbox: LoopMailbox, state: WorkerState,
                      observer: RequestObserver, logger: Logger) -> ASGIWorker? {
        let service: ASGIService
        do {
            service = try ASGIService(mailbox: mailbox, options: options, observer: observer, workerID: id,
                                      errorLog: { [logger] text in logger.error(text) },
                                      isStopping: { state.isStopping })
        } catch {
            logger.error("cannot start the ASGI bridge: \(error)")
            return nil
        }
        do {
            let host = try ASGIHost.start(
                app: app, backend: service, wakeDescriptor: service.inbox.signal.fd,
                settings: ASGIHost.Settings(loop: options.asgiLoop, lifespan: options.asgiLifespan, rootPath: options.rootPath))
            return ASGIWorker(service: service, host: host, loopName: host.loopName)
        } catch {
            logger.error("worker \(id): \(error.message)\(error.traceback.isEmpty ? "" : "\n" + error.traceback)")
            return nil
        }
    }

    /// Runs the app's loop until the event loop has ended and the lifespan shutdown is done.
    func serve(logger: Logger) {
        do {
            try host.serve()
        } catch {
            logger.error("the ASGI event loop failed: \(error.message)\n\(error.traceback)")
        }
    }
}
