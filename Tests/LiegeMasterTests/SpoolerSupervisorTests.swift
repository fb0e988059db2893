import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

@Suite struct SpoolerSupervisorTests {
    private func settings(_ directories: [String], processes: Int = 1) -> SpoolerSettings {
        SpoolerSettings(directories: directories, imports: [], chdir: nil, processes: processes, frequencySeconds: 30,
                        quiet: false, maxTasks: 0, harakiriSeconds: 0)
    }

    private final class Launches {
        var started: [(id: Int, directory: String)] = []
        var nextPID: Int32 = 1000
        func launch(_ id: Int, _ directory: String) -> (pid: Int32, lifeline: Int32) {
            started.append((id, directory))
            nextPID += 1
            return (nextPID, -1)
        }
    }

    @Test func startsEveryProcessOfEveryDirectoryAndRestartsACrash() {
        let supervisor = SpoolerSupervisor(settings: settings(["a", "/b"], processes: 2), workingDirectory: "/srv", mercy: 5,
                                           log: Logger(name: "test"))
        let launches = Launches()
        supervisor.tick(now: 0) { id, directory in launches.launch(id, directory) }
        #expect(launches.started.map(\.id) == [1, 2, 3, 4])
        #expect(launches.started.map(\.directory) == ["/srv/a", "/srv/a", "/b", "/b"])
        #expect(!supervisor.hasWork)
        #expect(supervisor.reaped(1001, .signaled(9), now: 1_000_000))
        #expect(!supervisor.reaped(4242, .exited(0), now: 1_000_000))
        supervisor.tick(now: 1_500_000) { id, directory in launches.launch(id, directory) }
        #expect(launches.started.count == 4, "a spooler that died young waits before it starts again")
        supervisor.tick(now: 2_100_000) { id, directory in launches.launch(id, directory) }
        #expect(launches.started.last?.id == 1)
        #expect(supervisor.reaped(1002, .exited(0), now: 60_000_000))
        supervisor.tick(now: 60_000_000) { id, directory in launches.launch(id, directory) }
        #expect(launches.started.last?.id == 2, "recycled after spooler-max-tasks: back at once")
    }

    @Test func reloadReplacesAndShutdownStops() {
        let supervisor = SpoolerSupervisor(settings: settings(["/q"]), workingDirectory: "/", mercy: 5, log: Logger(name: "test"))
        let launches = Launches()
        supervisor.tick(now: 0) { id, directory in launches.launch(id, directory) }
        supervisor.reload(settings: settings(["/q", "/r"]), workingDirectory: "/", mercy: 5, now: 0)
        supervisor.tick(now: 0) { id, directory in launches.launch(id, directory) }
        #expect(launches.started.map(\.directory) == ["/q", "/q", "/r"], "the new config's spoolers start at once")
        #expect(supervisor.records.filter(\.retired).map(\.pid) == [1001])
        #expect(supervisor.reaped(1001, .exited(0), now: 1))
        supervisor.tick(now: 1) { id, directory in launches.launch(id, directory) }
        #expect(supervisor.records.count == 2 && launches.started.count == 3, "the retired one is gone, not restarted")
        supervisor.shutDown(immediate: false, now: 2)
        #expect(!supervisor.isIdle)
        #expect(supervisor.reaped(1002, .exited(0), now: 3) && supervisor.reaped(1003, .exited(0), now: 3))
        supervisor.tick(now: 4) { id, directory in launches.launch(id, directory) }
        #expect(supervisor.isIdle && launches.started.count == 3)
    }
}
