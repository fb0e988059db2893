import LiegeConfig
import Testing
@testable import LiegeMaster

@Suite struct MasterSettingsTests {
    func settings(_ arguments: [String]) throws -> MasterSettings {
        MasterSettings(try Config.load(arguments: arguments, environment: [:], workingDirectory: "/tmp"))
    }

    @Test func defaultsFollowTheSpec() throws {
        let settings = try settings(["--http-socket", ":8000"])
        #expect(settings.processes == 1)
        #expect(settings.listenBacklog == 1024)
        #expect(settings.needApp)
        #expect(settings.reloadMercy == 60)
        #expect(settings.minWorkerLifetime == 10)
    }

    @Test func uwsgiSocketsComeBeforeHTTPSockets() throws {
        let settings = try settings(["--http-socket", ":8000", "--socket", "/tmp/a.sock", "--socket", ":3031"])
        #expect(settings.listeners.map(\.protocolName) == ["uwsgi", "uwsgi", "http"])
        #expect(settings.listeners.map(\.address) == ["/tmp/a.sock", ":3031", ":8000"])
    }

    @Test func socketModes() throws {
        #expect(try settings(["--http-socket", ":8000", "--chmod-socket"]).chmodSocket == 0o666)
        #expect(try settings(["--http-socket", ":8000", "--chmod-socket", "660"]).chmodSocket == 0o660)
        #expect(try settings(["--http-socket", ":8000"]).chmodSocket == nil)
        #expect(throws: ConfigErrors.self) { try settings(["--http-socket", ":8000", "--chmod-socket", "66"]) }
        #expect(throws: ConfigErrors.self) { try settings(["--http-socket", ":8000", "--chmod-socket", "668"]) }
    }

    @Test func workerEnvironmentAppliesEnvThenUnenv() throws {
        let settings = try settings(["--http-socket", ":8000", "--socket", ":3031", "--env", "A=1=2",
                                     "--unenv", "DROP"])
        let environment = settings.workerEnvironment(base: ["DROP": "x", "KEEP": "y"])
        #expect(environment["A"] == "1=2")
        #expect(environment["DROP"] == nil)
        #expect(environment["KEEP"] == "y")
        #expect(environment["LIEGE_SOCKETS"] == "uwsgi,http")
    }
}
