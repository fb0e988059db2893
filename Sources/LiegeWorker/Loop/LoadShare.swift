import LiegeSystem

/// This worker's load as its siblings see it, through the scoreboard the master shares (fd 4).
final class LoadShare {
    private let board: Scoreboard?
    private let id: Int

    /// Added to the published load while the worker's listeners are paused: it takes nothing now, so
    /// its siblings do not leave a connection to it.
    static let notAccepting = 1 << 32

    init(id: Int) {
        self.id = id
        board = try? Scoreboard.attach(fd: 4)
    }

    func publish(_ load: Int) {
        guard let board, (1...board.slotCount).contains(id) else { return }
        board[id].load = load
    }

    /// The vassal runs more than one worker.
    var hasSiblings: Bool { (board?.slotCount ?? 0) > 1 }

    /// The loads of the other workers that are up and accepting.
    func siblingLoads() -> [Int] {
        guard let board, board.slotCount > 1 else { return [] }
        var loads: [Int] = []
        for other in 1...board.slotCount where other != id {
            let slot = board[other]
            guard slot.pid > 0, slot.status == .ready || slot.status == .busy else { continue }
            let load = slot.load
            if load < Self.notAccepting { loads.append(load) }
        }
        return loads
    }
}
