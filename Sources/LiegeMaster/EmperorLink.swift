import Dispatch
import LiegeSystem

/// The master's side of its link to the emperor (SPEC.md §12), active only in a vassal: the emperor
/// passes one end of a socket pair as `LIEGE_EMPEROR_FD`.
/// - end of file on it = the emperor is gone (even killed by SIGKILL): the master stops gracefully
///   (it raises SIGTERM on itself, so the arbiter's usual shutdown runs);
/// - a byte `r` = reload: the master raises SIGHUP on itself;
/// - the master writes `ready\n` once a worker accepts, and again once a worker of a reload does.
/// With `LIEGE_ON_DEMAND_FD` the emperor also hands over an already bound socket (socket activation);
/// it replaces the master's first socket of protocol `LIEGE_ON_DEMAND_PROTOCOL`, bound only as a placeholder.
final class EmperorLink: @unchecked Sendable {
    private nonisolated(unsafe) static var current: EmperorLink?

    private let fd: Int32
    private var scoreboard: Scoreboard
    private let log: Logger
    private let queue = DispatchQueue(label: "liege.master.emperor-link")
    private var source: DispatchSourceRead?
    private var readyTimer: DispatchSourceTimer?
    private var stalePids: Set<Int32> = []

    private init(fd: Int32, scoreboard: Scoreboard, log: Logger) {
        self.fd = fd
        self.scoreboard = scoreboard
        self.log = log
    }

    /// Call once the sockets are bound and the scoreboard exists, before any worker is spawned.
    /// `sockets`: the master's listening sockets in fd order, with their protocol names.
    static func attach(sockets: [(protocolName: String, fd: Int32)], scoreboard: Scoreboard, log: Logger) {
        let environment = ProcessFacts.current.environment
        for name in EmperorContract.variables { Posix.setEnvironment(name, nil) }
        if let text = environment[EmperorContract.onDemandFDVariable], let inherited = Int32(text) {
            let wanted = environment[EmperorContract.onDemandProtocolVariable] ?? "uwsgi"
            if let target = sockets.first(where: { $0.protocolName == wanted }) {
                do {
                    try Posix.replace(target.fd, with: inherited)
                    log.info("\(wanted) socket (fd \(target.fd)) is now the on-demand socket handed over by the emperor")
                } catch {
                    log.error("cannot adopt the emperor's on-demand socket: \(error)")
                }
            }
            Posix.close(inherited)
        }
        guard let text = environment[EmperorContract.linkVariable], let fd = Int32(text) else { return }
        do {
            try Posix.setCloseOnExec(fd, true)
        } catch {
            log.error("emperor link fd \(fd) unusable: \(error)")
            return
        }
        let link = EmperorLink(fd: fd, scoreboard: scoreboard, log: log)
        current = link
        link.queue.async { link.start() }
    }

    /// A cheap master (no worker until the first connection, SPEC.md §8) is ready once it watches its sockets.
    static func announceReady() {
        guard let link = current else { return }
        link.queue.async {
            link.readyTimer?.cancel()
            link.readyTimer = nil
            try? Posix.writeAll(link.fd, "ready\n")
        }
    }

    /// A reload made a new generation of workers with a scoreboard of its own: readiness is read there.
    static func follow(_ scoreboard: Scoreboard) {
        guard let link = current else { return }
        link.queue.async { link.scoreboard = scoreboard }
    }

    private func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in readable() }
        source.resume()
        self.source = source
        watchForReady()
    }

    private func readable() {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = (try? bytes.withUnsafeMutableBytes { try Posix.read(fd, into: $0) }) ?? 0
        guard count > 0 else {
            log.info("the emperor is gone: graceful shutdown")
            // The descriptor stays open until the master exits: the ready timer may still write to it,
            // and a closed number could by then be another file's.
            source?.cancel()
            source = nil
            Posix.raise(.terminate)
            return
        }
        if bytes[0..<count].contains(UInt8(ascii: "r")) {
            stalePids = Set(scoreboard.slots.map(\.pid).filter { $0 > 0 })
            Posix.raise(.hangup)
            watchForReady()
        }
    }

    /// Polls the scoreboard (100 ms, only until it sees it) for a ready worker that is not one of `stalePids`.
    private func watchForReady() {
        readyTimer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(100), leeway: .milliseconds(20))
        let deadline = monotonicMicroseconds() + 600_000_000
        timer.setEventHandler { [self] in
            let ready = scoreboard.slots.contains { slot in
                (slot.status == .ready || slot.status == .busy) && slot.pid > 0 && !stalePids.contains(slot.pid)
            }
            if ready { try? Posix.writeAll(fd, "ready\n") }
            if ready || monotonicMicroseconds() > deadline {
                readyTimer?.cancel()
                readyTimer = nil
            }
        }
        timer.resume()
        readyTimer = timer
    }
}
