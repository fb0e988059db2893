import Foundation
import Testing
@testable import LiegePython

@Suite struct VirtualEnvironmentTests {
    private let runtime = "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]"

    @Test func noVenvUsesTheProgramName() throws {
        let location = try InterpreterLocation.resolve(virtualenv: nil, pyvenvConfig: nil,
                                                       programName: "/usr/bin/python3", runtimeVersion: runtime)
        #expect(location == InterpreterLocation(programName: "/usr/bin/python3"))
    }

    @Test func pep405VenvIsEnteredThroughItsPython() throws {
        let config = "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n"
        let location = try InterpreterLocation.resolve(virtualenv: "/srv/venv/", pyvenvConfig: config,
                                                       programName: "/usr/bin/liege", runtimeVersion: runtime)
        #expect(location == InterpreterLocation(programName: "/srv/venv/bin/python"))
    }

    @Test func prefixWithoutPyvenvCfgBecomesHome() throws {
        let location = try InterpreterLocation.resolve(virtualenv: "/opt/python", pyvenvConfig: nil,
                                                       programName: "/usr/bin/liege", runtimeVersion: runtime)
        #expect(location == InterpreterLocation(programName: "/usr/bin/liege", home: "/opt/python"))
    }

    @Test func otherMinorVersionIsRefusedWithAClearMessage() {
        do {
            _ = try InterpreterLocation.resolve(virtualenv: "/srv/venv", pyvenvConfig: "version = 3.12.1\n",
                                                programName: "/usr/bin/liege", runtimeVersion: runtime)
            Issue.record("a 3.12 venv was accepted by a 3.11 runtime")
        } catch {
            #expect(error.message.contains("3.12.1"))
            #expect(error.message.contains("3.11.2"))
            #expect(error.message.contains("/srv/venv"))
        }
    }

    @Test func otherPatchLevelIsAWarning() throws {
        let location = try InterpreterLocation.resolve(virtualenv: "/srv/venv", pyvenvConfig: "version = 3.11.7",
                                                       programName: "/usr/bin/liege", runtimeVersion: runtime)
        #expect(location.programName == "/srv/venv/bin/python")
        #expect(location.warnings.count == 1)
        #expect(location.warnings.first?.contains("3.11.7") == true)
    }

    @Test func versionLineVariants() {
        #expect(InterpreterLocation.venvVersion("home=/usr/bin\nversion=3.11.2") == "3.11.2")
        #expect(InterpreterLocation.venvVersion("version_info = 3.12.0.final.0\n") == "3.12.0.final.0")
        #expect(InterpreterLocation.versionNumbers("3.12.0.final.0") == ["3", "12", "0"])
        #expect(InterpreterLocation.versionNumbers("3.13.0rc1 (main)") == ["3", "13", "0"])
        #expect(InterpreterLocation.venvVersion("home = /usr/bin\n") == nil)
        let missing = try? InterpreterLocation.resolve(virtualenv: "/v", pyvenvConfig: "home = /usr/bin",
                                                       programName: "p", runtimeVersion: runtime)
        #expect(missing?.warnings.count == 1)
    }

    @Test func realVenvMadeByUsrBinPython3IsAccepted() throws {
        let venv = PythonFixture.directory + "/" + PythonFixture.uniqueName("venv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-m", "venv", "--without-pip", venv]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let location = try PythonRuntime.locate(settings(virtualenv: venv))
        #expect(location == InterpreterLocation(programName: venv + "/bin/python"))
        #expect(PythonRuntime.readSmallFile(venv + "/no-such-file") == nil)
    }

    @Test func locateChecksPrefixesAndMissingDirectories() throws {
        #expect(try PythonRuntime.locate(settings(virtualenv: "/usr"))
            == InterpreterLocation(programName: "/usr/bin/liege", home: "/usr"))
        #expect(try PythonRuntime.locate(settings(virtualenv: nil)) == InterpreterLocation(programName: "/usr/bin/liege"))
        do {
            _ = try PythonRuntime.locate(settings(virtualenv: "/nonexistent/venv"))
            Issue.record("a missing virtualenv was accepted")
        } catch {
            #expect(error.message.contains("/nonexistent/venv"))
            #expect(error.message.contains("neither a venv"))
        }
    }

    private func settings(virtualenv: String?) -> PythonSettings {
        PythonSettings(virtualenv: virtualenv, workingDirectory: "/", programName: "/usr/bin/liege")
    }
}
