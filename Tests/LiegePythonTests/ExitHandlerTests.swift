import Testing
@testable import LiegePython

@Suite struct ExitHandlerTests {
    @Test func runsTheHandlersNewestFirstPastOneThatRaisesAndOnlyOnce() throws {
        let name = PythonFixture.uniqueName("exits")
        try PythonFixture.write("""
        import atexit
        calls = []
        def first():
            calls.append('first')
        def broken():
            raise RuntimeError('an atexit handler that fails (expected in this test)')
        def last():
            calls.append('last')
        atexit.register(first)
        atexit.register(broken)
        atexit.register(last)
        """, to: name + ".py")
        try PythonRuntime.execute("import \(name)")
        try PythonRuntime.runExitHandlers()
        try PythonRuntime.execute("import \(name)\nassert \(name).calls == ['last', 'first'], \(name).calls")
        try PythonRuntime.runExitHandlers()
        try PythonRuntime.execute("import \(name)\nassert \(name).calls == ['last', 'first'], \(name).calls")
    }

    @Test func aFailingAssertionIsReported() throws {
        _ = PythonFixture.initialised
        #expect(throws: PythonError.self) { try PythonRuntime.execute("assert [] == ['first']") }
    }
}
