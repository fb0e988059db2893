import LiegeConfig
import LiegePython
import LiegeSystem

/// The preloader process of `lazy-apps = false`: `liege preloader NAME`, spawned by the master with the
/// worker's descriptors (fd 3 config, 4 scoreboard, 6... sockets) except fd 5, its `MessageChannel` to
/// the master. It imports the app once, then forks a worker for each `fork` request: copy-on-write
/// pages, so the workers share the imported app and a new one serves at once.
///
/// It stays single-threaded (no Dispatch, no thread of its own; fork copies only the calling thread):
/// if the app started a thread during its import, it says `refused N` and exits, and the master spawns
/// workers that import the app themselves. Each fork is a double fork (`Forking.forkDetached`), so the
/// worker is the master's child (the master is a subreaper) and is supervised like a spawned one.
public enum Preloader {
    /// Runs the preloader; returns its exit status (0: the master closed the channel, or refused; 22: the
    /// app could not be imported; 1: other failure).
    public static func run() -> Int32 {
        Posix.ignoreBrokenPipe()
        guard let config = Worker.readConfig(title: "preloader") else { return 1 }
        UwsgiSetup.publish(config, role: .preloader)
        let logger = Logger(name: "\(config.name) preloader")
        guard Worker.enterDirectory(config, logger: logger) else { return 1 }
        let started = monotonicMicroseconds()
        let facts = ProcessFacts.current
        let apps = AppLoader(config: config, workingDirectory: facts.workingDirectory, logger: logger)
        guard apps.loadForPreload() else { return Worker.exitAppNotLoadable }
        let channel = MessageChannel(fd: WorkerContract.lifelineFD)
        let forker = WorkerForker(config: config, apps: apps, environment: facts.environment, channel: channel, logger: logger)
        if let refusal = forker.refusal() {
            logger.error(refusal.line)
            try? channel.send(refusal.message.text)
            return 0
        }
        do {
            try channel.send(PreloadMessage.ready.text)
        } catch {
            logger.error("cannot reach the master: \(error)")
            return 1
        }
        logger.info("preloader ready (pid \(Posix.processID)): app imported in \((monotonicMicroseconds() - started) / 1000) ms; "
                    + "workers are forked from it")
        return forker.serveRequests()
    }
}

/// The preloader's loop: one `fork` request at a time from the master, answered `forked PID`.
struct WorkerForker {
    let config: Config
    let apps: AppLoader
    let environment: [String: String]
    let channel: MessageChannel
    let logger: Logger

    /// Why this process must not fork now (more than one thread, or a count it cannot read), as the log
    /// line and the master's message.
    func refusal() -> (line: String, message: PreloadMessage)? {
        let threads = Forking.threadCount
        guard threads != 1 else { return nil }
        let count = threads.map { "this process has \($0) threads" } ?? "its thread count cannot be read from /proc/self/status"
        return ("preloading refused: the app started threads while it was imported (\(count), fork copies only one): "
                + "workers load the app themselves (as with lazy-apps = true)", .refused(threads: threads ?? 0))
    }

    /// Until the master closes the channel (it stops, or this generation is over).
    func serveRequests() -> Int32 {
        while true {
            let message: MessageChannel.Message?
            do {
                message = try channel.receive()
            } catch {
                logger.error("cannot read from the master: \(error)")
                return 1
            }
            guard let message else { return 0 }
            guard case .fork(let slot, let held) = PreloadMessage(text: message.text),
                  message.descriptors.count == PreloadMessage.forkDescriptorCount else {
                message.descriptors.forEach(Posix.close)
                logger.error("unexpected message from the master: \(message.text)")
                continue
            }
            if let refusal = refusal() {
                message.descriptors.forEach(Posix.close)
                logger.error(refusal.line)
                try? channel.send(refusal.message.text)
                return 0
            }
            let (reply, middle) = fork(slot: slot, held: held, descriptors: message.descriptors)
            message.descriptors.forEach(Posix.close)
            do {
                try channel.send(reply.text)
            } catch {
                logger.error("cannot answer the master: \(error)")
                return 1
            }
            if let middle { Forking.reapMiddle(middle) }
        }
    }

    /// One worker: CPython's fork protocol around a detached fork; the child never returns from here.
    /// The answer for the master, and the middle process to reap once it is sent.
    private func fork(slot: Int, held: Bool, descriptors: [Int32]) -> (PreloadMessage, middle: Int32?) {
        do {
            try PythonRuntime.freezeForFork()
        } catch {
            return (.forkFailed(reason: error.message), nil)
        }
        PythonRuntime.beforeFork()
        let side: Forking.Side
        do {
            side = try Forking.forkDetached()
        } catch {
            PythonRuntime.afterForkInParent()
            return (.forkFailed(reason: "\(error)"), nil)
        }
        switch side {
        case .parent(let pid, let middle):
            PythonRuntime.afterForkInParent()
            return (.forked(pid: pid), middle)
        case .child:
            exitProcess(becomeWorker(slot: slot, held: held, lifeline: descriptors[0], output: descriptors[1],
                                     scoreboard: descriptors[2]))
        }
    }

    /// In the new process: the worker's descriptors in place (log 1-2, scoreboard 4, lifeline 5 over the
    /// preloader's channel), its own process group and title, then `Worker.serve` like a spawned worker.
    private func becomeWorker(slot: Int, held: Bool, lifeline: Int32, output: Int32, scoreboard: Int32) -> Int32 {
        let logger = Logger(name: "\(config.name) worker \(slot)")
        do {
            try Forking.copy(output, to: 1)
            try Forking.move(output, to: 2)
            try Forking.move(scoreboard, to: WorkerContract.scoreboardFD)
            try Forking.move(lifeline, to: WorkerContract.lifelineFD)
            try Forking.leadNewProcessGroup()
            try PythonRuntime.afterForkInChild()
        } catch let error as PythonError {
            logger.error("worker \(slot): after fork: \(error.message)\n\(error.traceback)")
            return 1
        } catch {
            logger.error("worker \(slot): after fork: \(error)")
            return 1
        }
        ProcessTitle.set(ProcessTitles(config).worker(id: slot, name: config.name))
        PythonRuntime.releaseMainThread()
        var environment = self.environment
        environment[WorkerContract.holdVariable] = held ? "1" : nil
        return Worker.serve(LoadedWorker(id: slot, config: config, logger: logger, options: ServingOptions(config: config),
                                         apps: apps, environment: environment))
    }
}
