import CPython

/// The embedded interpreter of one worker process. Call order in a worker:
/// `initialize` (on the main thread) -> `WSGIApplication.load` -> `releaseMainThread` -> requests
/// on any thread -> optionally `finalize` on the main thread.
public enum PythonRuntime {
    /// The linked libpython's version ("3.11.2 (main, ...)").
    public static var version: String { String(cString: Py_GetVersion()) }

    /// Set once by `initialize`, before any other thread uses Python; read-only afterwards.
    nonisolated(unsafe) static var bridge: Bridge?
    nonisolated(unsafe) private static var mainThreadState: UnsafeMutablePointer<PyThreadState>?

    /// Starts the interpreter: PyConfig with `program_name` (`<venv>/bin/python` for a venv, so its
    /// site-packages are seen as that python sees them), no signal handlers, then `sys.path` =
    /// pythonpath entries (globs expanded) + working directory + the usual entries.
    /// - Returns: warnings worth logging (a venv made by another patch release, ...).
    @discardableResult
    public static func initialize(_ settings: PythonSettings) throws(PythonError) -> [String] {
        guard Py_IsInitialized() == 0 else {
            throw PythonError(message: "the Python interpreter is already initialized in this process")
        }
        let location = try locate(settings)
        try start(location)
        let bridge = try Bridge(multithread: settings.threads > 1, fileWrapper: settings.fileWrapper)
        self.bridge = bridge
        try UwsgiRuntime.install(into: bridge.helpers)
        try setUpPath(settings, bridge: bridge)
        return location.warnings
    }

    /// Where the interpreter will take its prefix from: reads `<virtualenv>/pyvenv.cfg`, checks its
    /// version against the linked libpython, and checks that a non-venv `virtualenv` is a real prefix.
    public static func locate(_ settings: PythonSettings) throws(PythonError) -> InterpreterLocation {
        let pyvenv = settings.virtualenv.flatMap { readSmallFile($0 + "/pyvenv.cfg") }
        let location = try InterpreterLocation.resolve(virtualenv: settings.virtualenv, pyvenvConfig: pyvenv,
                                                       programName: settings.programName, runtimeVersion: version)
        if let home = location.home {
            let numbers = InterpreterLocation.versionNumbers(version).prefix(2).joined(separator: ".")
            let probe = home + "/lib/python" + numbers + "/os.py"
            guard swpy_file_exists(probe) != 0 else {
                throw PythonError(message: "virtualenv \(home) is neither a venv (no pyvenv.cfg) nor a Python "
                    + "\(numbers) prefix (no \(probe)); make one with /usr/bin/python3 -m venv \(home)")
            }
        }
        return location
    }

    /// Releases the GIL held by the initialising thread (after the app is loaded), so that request
    /// threads and Python background threads can run.
    public static func releaseMainThread() {
        guard mainThreadState == nil, Py_IsInitialized() != 0 else { return }
        mainThreadState = PyEval_SaveThread()
    }

    /// Stops the interpreter (atexit handlers run). Call on the thread that called `initialize`,
    /// after every request thread is done. Returns false when Python reported a failure.
    @discardableResult
    public static func finalize() -> Bool {
        guard Py_IsInitialized() != 0 else { return true }
        if let state = mainThreadState {
            PyEval_RestoreThread(state)
            mainThreadState = nil
        }
        bridge = nil
        return Py_FinalizeEx() == 0
    }

    /// The bridge, or an error when `initialize` was not called.
    static func requireBridge() throws(PythonError) -> Bridge {
        guard let bridge else {
            throw PythonError(message: "PythonRuntime.initialize must be called before loading an app")
        }
        return bridge
    }

    /// A PythonError from the exception currently set (cleared), prefixed with `context`.
    static func currentError(context: String) -> PythonError {
        guard let exception = PythonException.fetch() else { return PythonError(message: context) }
        return PythonError(message: context + ": " + exception.summary, traceback: exception.traceback)
    }

    private static func start(_ location: InterpreterLocation) throws(PythonError) {
        let config = UnsafeMutablePointer<PyConfig>.allocate(capacity: 1)   // heap: PLATFORM.md P5
        defer {
            PyConfig_Clear(config)
            config.deallocate()
        }
        PyConfig_InitPythonConfig(config)
        config.pointee.install_signal_handlers = 0   // signals belong to the master and worker (P9)
        config.pointee.parse_argv = 0
        config.pointee.buffered_stdio = 0            // print() from the app reaches the log at once
        try check(PyConfig_SetBytesString(config, &config.pointee.program_name, location.programName), "program_name")
        if let home = location.home {
            try check(PyConfig_SetBytesString(config, &config.pointee.home, home), "home")
        }
        try check(Py_InitializeFromConfig(config), "Py_InitializeFromConfig")
    }

    private static func check(_ status: PyStatus, _ step: String) throws(PythonError) {
        guard PyStatus_Exception(status) != 0 else { return }
        let message = status.err_msg.map { String(cString: $0) } ?? "failed"
        throw PythonError(message: "Python initialisation failed (\(step)): \(message)")
    }

    private static func setUpPath(_ settings: PythonSettings, bridge: Bridge) throws(PythonError) {
        guard let entries = PyList_New(0) else { throw currentError(context: "cannot set sys.path") }
        defer { Py_DecRef(entries) }
        for entry in settings.pythonpath {
            guard let text = PyText.make(entry) else { throw currentError(context: "cannot set sys.path") }
            PyList_Append(entries, text)
            Py_DecRef(text)
        }
        guard let directory = PyText.make(settings.workingDirectory) else {
            throw currentError(context: "cannot set sys.path")
        }
        defer { Py_DecRef(directory) }
        guard let result = swpy_call2(bridge.setupPath.object, entries, directory) else {
            throw currentError(context: "cannot set sys.path")
        }
        Py_DecRef(result)
    }

    /// A file's text (at most 64 KiB), nil when it cannot be read. Used before Python exists.
    static func readSmallFile(_ path: String) -> String? {
        let capacity = 65_536
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        let count = swpy_read_file(path, buffer, capacity)
        guard count >= 0 else { return nil }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}

extension PythonRuntime {
    /// Runs Python statements in `__main__` (diagnostics and tests: e.g. `importlib.invalidate_caches()`).
    static func execute(_ source: String) throws(PythonError) {
        try GIL.holding { () throws(PythonError) in
            guard let code = PyRef(owning: Py_CompileString(source, "<liege-exec>", swpy_file_input())) else {
                throw currentError(context: "cannot compile")
            }
            defer { code.release() }
            guard let main = PyImport_AddModule("__main__"), let globals = PyModule_GetDict(main) else {
                throw currentError(context: "no __main__")
            }
            guard let result = PyRef(owning: PyEval_EvalCode(code.object, globals, globals)) else {
                throw currentError(context: "execution failed")
            }
            result.release()
        }
    }
}
