import Foundation
import LiegeConfig
import Testing
@testable import LiegeMaster

/// The cheap/idle/cheaper options as the config checks and the master reads them (SPEC.md §8, §13).
@Suite struct ScalingSettingsTests {
    func load(_ arguments: [String]) -> Result<ScalingSettings, ConfigErrors> {
        do {
            let config = try Config.load(arguments: ["--http-socket", ":0"] + arguments, environment: [:], workingDirectory: "/tmp")
            return .success(MasterSettings(config).scaling)
        } catch {
            return .failure(error)
        }
    }

    func errors(_ arguments: [String]) -> [String] {
        guard case .failure(let errors) = load(arguments) else { return [] }
        return errors.errors.map(\.description)
    }

    @Test func defaults() throws {
        let settings = try load(["--processes", "4"]).get()
        #expect(settings == ScalingSettings(processes: 4))
        #expect(!settings.cheap && settings.idleSeconds == 0 && settings.cheaper == 0)
        #expect(settings.cheaperStep == 1 && settings.cheaperOverload == 3 && settings.algorithm == .spare)
        #expect(settings.initialCount == 4 && settings.wakeCount == 4)
    }

    @Test func everyOptionIsRead() throws {
        let settings = try load(["--processes", "8", "--cheap", "--idle", "30", "--die-on-idle", "--cheaper", "2",
                                 "--cheaper-initial", "3", "--cheaper-step", "2", "--cheaper-overload", "5",
                                 "--cheaper-algo", "backlog"]).get()
        #expect(settings == ScalingSettings(processes: 8, cheap: true, idleSeconds: 30, dieOnIdle: true, cheaper: 2,
                                            cheaperInitial: 3, cheaperStep: 2, cheaperOverload: 5, algorithm: .backlog))
        #expect(settings.initialCount == 3)
        #expect(settings.wakeCount == 2)
    }

    @Test func cheaperInitialDefaultsToCheaper() throws {
        #expect(try load(["--processes", "4", "--cheaper", "2"]).get().cheaperInitial == 2)
    }

    @Test func cheaperMustBeLowerThanProcesses() {
        #expect(errors(["--processes", "2", "--cheaper", "2"])
                == ["command line: --cheaper: cheaper must be lower than processes (cheaper 2, processes 2)"])
        #expect(errors(["--cheaper", "3"]).first?.contains("cheaper must be lower than processes") == true)
        #expect(errors(["--processes", "3", "--cheaper", "0"]).isEmpty)
    }

    @Test func cheaperInitialOutsideTheRangeIsAnError() {
        #expect(errors(["--processes", "4", "--cheaper", "2", "--cheaper-initial", "1"]).first?
                    .contains("cheaper-initial must be between cheaper and processes (2...4), got 1") == true)
        #expect(errors(["--processes", "4", "--cheaper", "2", "--cheaper-initial", "5"]).count == 1)
        #expect(errors(["--processes", "4", "--cheaper", "2", "--cheaper-initial", "4"]).isEmpty)
    }

    @Test func unknownAlgorithmIsAnError() {
        let found = errors(["--processes", "2", "--cheaper", "1", "--cheaper-algo", "busyness"])
        #expect(found.count == 1)
        #expect(found.first?.contains("\"cheaper-algo\" must be one of spare, backlog, manual") == true)
    }

    @Test func relationErrorsPointAtTheFileLine() throws {
        let scratch = Scratch()
        let file = scratch.path + "/app.ini"
        try "[uwsgi]\nprocesses = 2\nhttp-socket = :0\ncheaper = 4\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try Config.load(arguments: [file], environment: [:], workingDirectory: scratch.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description).first?.hasSuffix("app.ini:4: cheaper must be lower than processes (cheaper 4, processes 2)") == true)
        }
    }
}
