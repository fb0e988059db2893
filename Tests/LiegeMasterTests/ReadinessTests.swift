import LiegeConfig
import Testing
@testable import LiegeMaster
@testable import LiegeSystem

@Suite struct ReadinessTests {
    private func readiness(_ change: (inout Readiness.Facts) -> Void) -> Readiness {
        var facts = Readiness.Facts(generation: 3, accepting: 2)
        change(&facts)
        return Readiness(facts)
    }

    @Test func acceptingWorkersMakeItReady() {
        let ready = readiness { _ in }
        #expect(ready.state == .ready)
        #expect(ready.response.status == 200)
        #expect(ready.response.body == "ready generation=3 accepting=2\n")
    }

    @Test func noWorkerAcceptingIsNotReady() {
        let starting = readiness { $0.accepting = 0 }
        #expect(starting.state == .starting)
        #expect(starting.response.status == 503)
        #expect(DocumentServer.head(starting.response).hasPrefix("HTTP/1.0 503 Service Unavailable\r\n"))
    }

    @Test func cheapModeAndReloadsStayReadyWithoutAcceptingWorkers() {
        // Both keep the sockets open: arrivals wait in the backlog and are served.
        #expect(readiness { $0.accepting = 0; $0.cheap = true }.response.status == 200)
        let reloading = readiness { $0.accepting = 0; $0.reloading = true }
        #expect(reloading.state == .reloading)
        #expect(reloading.response.status == 200)
    }

    @Test func aPausedMasterIsNotReady() {
        #expect(readiness { $0.paused = true }.state == .starting)
        #expect(readiness { $0.paused = true; $0.cheap = true }.response.status == 503)
    }

    @Test func drainingAndStoppingFailWhateverTheWorkersDo() {
        let draining = readiness { $0.draining = true; $0.reloading = true }
        #expect(draining.state == .draining)
        #expect(draining.response.status == 503)
        #expect(draining.response.body.hasPrefix("draining generation=3"))
        let stopping = readiness { $0.stopping = true; $0.draining = true }
        #expect(stopping.state == .stopping)
        #expect(stopping.response.status == 503)
    }

    @Test func drainDelayIsReadAndDefaultsToZero() throws {
        let unset = try Config.load(arguments: ["--http-socket", ":8000"], environment: [:], workingDirectory: "/tmp")
        #expect(MasterSettings(unset).drainDelay == 0)
        let set = try Config.load(arguments: ["--http-socket", ":8000", "--drain-delay", "7"], environment: [:],
                                  workingDirectory: "/tmp")
        #expect(MasterSettings(set).drainDelay == 7)
    }
}
