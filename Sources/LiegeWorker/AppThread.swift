import LiegePython
import LiegeSystem

/// The apps a worker serves (index: `AppMounts` order), or nil for one not loaded (need-app = false keeps
/// serving 503s).
protocol AppProvider: AnyObject, Sendable {
    func application(_ index: Int) -> WSGIApplication?
}

/// One Python thread of a worker: takes complete requests from the queue and runs the app for each.
/// The GIL is held only inside the app call (the bridge releases it around every exchange call).
final class AppThread {
    private let queue: JobQueue
    private let mailbox: LoopMailbox
    private let app: AppProvider
    private let recorder: RequestRecorder
    private let watch: RequestWatch
    private let exchange: RequestExchange
    private let parker = Parker()

    init(queue: JobQueue, mailbox: LoopMailbox, app: AppProvider, options: ServingOptions, watch: RequestWatch, workerID: Int,
         state: WorkerState, errorLog: @escaping (String) -> Void) {
        self.queue = queue
        self.mailbox = mailbox
        self.app = app
        self.watch = watch
        recorder = RequestRecorder(options: options, observer: watch, workerID: workerID)
        let clock = recorder.clock
        exchange = RequestExchange(stream: ChannelStream(parker: parker, watch: watch), options: options,
                                   dateNow: { clock.httpDate() }, logger: errorLog, isStopping: { state.isStopping })
    }

    /// Serves jobs until the queue closes.
    func run() {
        var finished = false
        var served = 0
        while true {
            // Before waiting: the loop learns about the responses of this batch, and log lines go out, so a
            // quiet worker's lines appear at once.
            guard let job = queue.next(parker: parker, finished: finished, beforeWaiting: { [mailbox, recorder] in
                mailbox.wakeIfPosted()
                recorder.accessLog.flush()
            }) else { break }
            finished = true
            serve(job)
            served += 1
            if served % 8 == 0 { mailbox.wakeIfPosted() }
        }
        mailbox.wakeIfPosted()
        recorder.accessLog.flush()
    }

    private func serve(_ job: RequestJob) {
        exchange.begin(channel: job.channel, version: job.version, isHead: job.isHead, canChunk: job.canChunk,
                       keepAlive: job.keepAlive, expectsContinue: job.expectsContinue)
        exchange.bufferedBody = job.body
        exchange.routeEffects = job.routeEffects
        watch.connection(job.channel)
        let started = recorder.start(job.log)
        let (status, exception) = runApp(job)
        recorder.finish(started, log: job.log, status: status, exception: exception, exchange: exchange,
                        variables: job.request.variables)
        watch.connection(nil)
        job.channel.complete(reuse: exchange.connectionReusable)
        exchange.end()
    }

    /// Runs the app and maps its outcome to what the client got.
    private func runApp(_ job: RequestJob) -> (status: Int, exception: Bool) {
        guard let application = app.application(job.app) else {
            exchange.sendError(503)
            return (503, false)
        }
        let outcome = application.handle(job.request, exchange: exchange)
        if let failure = exchange.bodyFailure, !exchange.writer.headSent {
            // The request body was malformed or cut short: the client's fault, answered as such.
            let status: Int
            if case .malformed(let error) = failure { status = error.status } else { status = 400 }
            exchange.sendError(status)
            return (status, false)
        }
        switch outcome {
        case .completed(let code, _):
            return (code, false)
        case .failedBeforeHead:
            exchange.sendError(500)
            return (500, true)
        case .failedAfterHead(let code, _):
            // What was produced goes out; the missing end of the body tells the client it is cut short.
            exchange.keepAlive = false
            try? exchange.writer.flush()
            return (code, true)
        case .connectionLost:
            exchange.keepAlive = false
            return (exchange.writer.statusCode, false)
        }
    }
}
