import LiegeConfig
import LiegeSystem

/// The arbiter's side of the stats server and `/metrics`: a copy of its state, taken on its queue.
extension Arbiter: MasterStateSource {
    func readiness() -> Readiness {
        queue.sync { Readiness(readinessFacts) }
    }

    func masterState() -> MasterState {
        queue.sync {
            let mode = MasterState.Mode(rawValue: self.mode.rawValue) ?? .normal
            let shown = (1...settings.processes).map { id -> MasterState.Worker in
                let inSlot = workers.filter { $0.id == id }
                let worker = inSlot.first { $0.generation === current && !$0.held } ?? inSlot.first { $0.stop == nil } ?? inSlot.first
                return MasterState.Worker(id: id, pid: worker?.pid ?? 0, slot: worker?.slot,
                                          harakiriCount: statsLedger.harakiriCounts[id] ?? 0)
            }
            var state = MasterState(mode: mode, paused: paused, workers: shown,
                                    counters: statsLedger.counters(adding: generations.filter { !$0.isClosed }.map(\.scoreboard)),
                                    sockets: current.sockets.map { ($0.key.protocolName, $0.socket) })
            let configured = daemons.records.filter { !$0.retired }
            if !configured.isEmpty {
                state.daemons = configured.map {
                    MasterState.Daemon(command: $0.line.command, pid: $0.pid ?? 0, respawns: max(0, $0.starts - 1))
                }
            }
            if !cron.jobs.isEmpty {
                state.crons = cron.jobs.enumerated().map { index, line in
                    MasterState.Cron(minute: line.minute.uwsgiNumber, hour: line.hour.uwsgiNumber, day: line.day.uwsgiNumber,
                                     month: line.month.uwsgiNumber, week: line.weekday.uwsgiNumber, command: line.command,
                                     unique: line.unique, pid: cron.runs.first { $0.job == index }?.pid ?? 0)
                }
            }
            addUwsgiServices(to: &state)
            return state
        }
    }
}

extension CronField {
    /// The field as uWSGI's stats show it: the value, -1 for any, -N for "a multiple of N"; a Liege range
    /// or list (which uWSGI's numbers cannot say) shows its smallest value.
    var uwsgiNumber: Int {
        switch rule {
        case .any: return -1
        case .multipleOf(let step): return -step
        case .values(let values): return values.min() ?? -1
        }
    }
}
