import CPython

/// A spooler process's Python side (`liege spooler ID NAME`): after `initialize` and the app's import, the
/// `spooler-import` modules, then the loop over one spooler directory until the master says stop.
extension PythonRuntime {
    /// What the loop of one spooler process needs (from `spooler-*`).
    public struct SpoolerRun: Sendable {
        public var directory: String
        public var frequencySeconds: Int
        public var chdir: String?
        public var quiet: Bool
        public var maxTasks: Int
        public var harakiriSeconds: Int
        public var imports: [String]

        public init(directory: String, frequencySeconds: Int, chdir: String?, quiet: Bool, maxTasks: Int,
                    harakiriSeconds: Int, imports: [String]) {
            self.directory = directory
            self.frequencySeconds = frequencySeconds
            self.chdir = chdir
            self.quiet = quiet
            self.maxTasks = maxTasks
            self.harakiriSeconds = harakiriSeconds
            self.imports = imports
        }
    }

    /// Runs the spooler loop on this (the initialising) thread, which holds the GIL; returns when the
    /// master asks the spooler to stop, or after `spooler-max-tasks` tasks.
    public static func runSpooler(_ run: SpoolerRun) throws(PythonError) {
        guard let module = PyRef(owning: PyImport_ImportModule("uwsgi")) else {
            throw currentError(context: "cannot import the uwsgi module in the spooler")
        }
        defer { module.release() }
        guard let function = PyRef(owning: PyObject_GetAttrString(module.object, "_spooler_run")) else {
            throw currentError(context: "the uwsgi module has no spooler loop")
        }
        defer { function.release() }
        let imports = PyList_New(0)
        for name in run.imports {
            guard let imports, let text = PyText.make(name) else { continue }
            PyList_Append(imports, text)
            Py_DecRef(text)
        }
        let arguments: [PyPointer?] = [
            PyText.make(run.directory), PyLong_FromLong(run.frequencySeconds),
            run.chdir.map { PyText.make($0) } ?? swpy_newref_none(), swpy_newref_bool(run.quiet ? 1 : 0),
            PyLong_FromLong(run.maxTasks), PyLong_FromLong(run.harakiriSeconds), imports,
        ]
        defer { arguments.forEach { if let item = $0 { Py_DecRef(item) } } }
        guard !arguments.contains(where: { $0 == nil }) else { throw currentError(context: "cannot start the spooler loop") }
        let result = arguments.withUnsafeBufferPointer { buffer in
            PyObject_Vectorcall(function.object, buffer.baseAddress, buffer.count, nil)
        }
        guard let done = PyRef(owning: result) else { throw currentError(context: "the spooler loop failed") }
        done.release()
    }
}
