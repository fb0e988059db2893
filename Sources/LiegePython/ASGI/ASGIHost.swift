import CPython

/// The worker's asyncio side: `_liege_asgi.Server` around the app, on the thread that calls `start`
/// and `serve` (the worker's main thread, where Python was initialised).
public final class ASGIHost: @unchecked Sendable {
    private let server: PyRef
    /// The event loop's class, as the log shows it ("uvloop.Loop", "_UnixSelectorEventLoop").
    public let loopName: String

    private init(server: PyRef, loopName: String) {
        self.server = server
        self.loopName = loopName
    }

    public struct Settings: Sendable {
        /// `auto`, `asyncio` or `uvloop`.
        public var loop: String
        /// `auto`, `on` or `off`.
        public var lifespan: String
        public var rootPath: String

        public init(loop: String, lifespan: String, rootPath: String) {
            self.loop = loop
            self.lifespan = lifespan
            self.rootPath = rootPath
        }
    }

    /// Makes the loop and runs the lifespan startup. Throws the app's failure message (startup failed,
    /// or an error with lifespan `on`), or the traceback of a bridge failure.
    public static func start(app: ASGIApplication, backend: ASGIBackend, wakeDescriptor: Int32,
                             settings: Settings) throws(PythonError) -> ASGIHost {
        try GIL.holding { () throws(PythonError) -> ASGIHost in
            let module = try helperModule()
            defer { module.release() }
            let native = try ASGINative(backend: backend).makeObject()
            defer { native.release() }
            guard let serverType = PyRef(owning: PyObject_GetAttrString(module.object, "Server")) else {
                throw PythonRuntime.currentError(context: "the _liege_asgi module has no Server")
            }
            defer { serverType.release() }
            let arguments: [PyPointer?] = [
                swpy_newref(native.object), swpy_newref(app.callable.object), PyLong_FromLong(Int(wakeDescriptor)),
                PyText.make(settings.loop), PyText.make(settings.lifespan), PyText.make(settings.rootPath),
            ]
            defer { arguments.forEach { if let item = $0 { Py_DecRef(item) } } }
            guard !arguments.contains(where: { $0 == nil }) else {
                throw PythonRuntime.currentError(context: "cannot build the ASGI server arguments")
            }
            let made = arguments.withUnsafeBufferPointer { buffer in
                PyObject_Vectorcall(serverType.object, buffer.baseAddress, buffer.count, nil)
            }
            guard let server = PyRef(owning: made) else {
                throw PythonRuntime.currentError(context: "cannot start the ASGI event loop")
            }
            let host = ASGIHost(server: server, loopName: loopName(of: server))
            try host.call("startup", context: "ASGI lifespan startup")
            return host
        }
    }

    /// Runs the asyncio loop until the worker's event loop posts `.stop`, then the lifespan shutdown.
    public func serve() throws(PythonError) {
        try GIL.holding { () throws(PythonError) in try call("run", context: "the ASGI event loop") }
    }

    /// Calls a method of the server: a returned str is a failure message.
    private func call(_ method: StaticString, context: String) throws(PythonError) {
        let raw = UnsafeRawPointer(method.utf8Start).assumingMemoryBound(to: CChar.self)
        guard let name = PyRef(owning: PyUnicode_FromString(raw)) else {
            throw PythonRuntime.currentError(context: context)
        }
        defer { name.release() }
        guard let result = swpy_call_method0(server.object, name.object) else {
            throw PythonRuntime.currentError(context: context)
        }
        defer { Py_DecRef(result) }
        if swpy_unicode_check(result) != 0 {
            throw PythonError(message: "\(context) failed: \(PyText.string(result) ?? "")")
        }
    }

    private static func loopName(of server: PyRef) -> String {
        guard let loop = PyRef(owning: PyObject_GetAttrString(server.object, "loop")) else {
            PyErr_Clear()
            return "asyncio"
        }
        defer { loop.release() }
        let type = StartResponse.typeName(loop.object)
        return type
    }

    private static func helperModule() throws(PythonError) -> PyRef {
        if let existing = PyRef(owning: PyImport_ImportModule(ASGIHelperModule.name)) { return existing }
        PyErr_Clear()
        guard let code = PyRef(owning: Py_CompileString(ASGIHelperModule.source, "<liege-asgi>", swpy_file_input())) else {
            throw PythonRuntime.currentError(context: "cannot compile the _liege_asgi helper module")
        }
        defer { code.release() }
        guard let module = PyRef(owning: PyImport_ExecCodeModule(ASGIHelperModule.name, code.object)) else {
            throw PythonRuntime.currentError(context: "cannot run the _liege_asgi helper module")
        }
        return module
    }
}
