import LiegeSystem

/// The arbiter's side of the stats server and `/metrics`: a copy of its state, taken on its queue.
extension Arbiter: MasterStateSource {
    func masterState() -> MasterState {
        queue.sync {
            let mode = MasterState.Mode(rawValue: self.mode.rawValue) ?? .normal
            let shown = (1...settings.processes).map { id -> MasterState.Worker in
                let inSlot = workers.filter { $0.id == id }
                let worker = inSlot.first { $0.generation === current && !$0.held } ?? inSlot.first { $0.stop == nil } ?? inSlot.first
                return MasterState.Worker(id: id, pid: worker?.pid ?? 0, slot: worker?.slot,
                                          harakiriCount: statsLedger.harakiriCounts[id] ?? 0)
            }
            return MasterState(mode: mode, workers: shown,
                               counters: statsLedger.counters(adding: generations.filter { !$0.isClosed }.map(\.scoreboard)),
                               sockets: current.sockets.map { ($0.key.protocolName, $0.socket) })
        }
    }
}
