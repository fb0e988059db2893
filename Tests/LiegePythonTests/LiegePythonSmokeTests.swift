import Testing
@testable import LiegePython

@Test func pythonVersionIsThree() {
    #expect(PythonRuntime.version.hasPrefix("3."))
}
