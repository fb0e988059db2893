import CPython

/// A loaded WSGI callable. `handle` may be called from any thread; it takes the GIL itself.
public final class WSGIApplication: @unchecked Sendable {
    /// What was loaded ("shop.wsgi:application").
    public let label: String
    let callable: PyRef
    let bridge: Bridge

    private init(label: String, callable: PyRef, bridge: Bridge) {
        self.label = label
        self.callable = callable
        self.bridge = bridge
    }

    /// Imports the app. `module` is "pkg.mod:callable" or "pkg.mod" (callable name from `callable`);
    /// a callable written "make()" is called once here. `wsgiFile` is a .py file loaded as a module.
    /// Errors carry the full Python traceback.
    public static func load(module: String?, wsgiFile: String?, callable: String = "application")
        throws(PythonError) -> WSGIApplication {
        let bridge = try PythonRuntime.requireBridge()
        let target = try AppTarget.parse(module: module, wsgiFile: wsgiFile, callable: callable)
        return try GIL.holding { () throws(PythonError) -> WSGIApplication in
            let object = try resolve(target, bridge: bridge)
            return WSGIApplication(label: target.label, callable: object, bridge: bridge)
        }
    }

    static func resolve(_ target: AppTarget, bridge: Bridge) throws(PythonError) -> PyRef {
        var current: PyRef
        switch target.source {
        case .module(let name):
            guard let text = PyText.make(name) else { throw PythonRuntime.currentError(context: "bad name") }
            defer { Py_DecRef(text) }
            guard let module = PyRef(owning: PyObject_CallOneArg(bridge.importModule.object, text)) else {
                throw PythonRuntime.currentError(context: "cannot import module \"\(name)\"")
            }
            current = module
        case .file(let path):
            guard let text = PyText.make(path) else { throw PythonRuntime.currentError(context: "bad path") }
            defer { Py_DecRef(text) }
            guard let module = PyRef(owning: PyObject_CallOneArg(bridge.loadFile.object, text)) else {
                throw PythonRuntime.currentError(context: "cannot load wsgi-file \"\(path)\"")
            }
            current = module
        }
        for name in target.attribute {
            let next = PyRef(owning: PyObject_GetAttrString(current.object, name))
            current.release()
            guard let next else {
                throw PythonRuntime.currentError(context: "cannot find the callable \(target.label)")
            }
            current = next
        }
        if target.callAtLoad {
            let made = PyRef(owning: PyObject_CallNoArgs(current.object))
            current.release()
            guard let made else { throw PythonRuntime.currentError(context: "calling \(target.label) failed") }
            current = made
        }
        guard PyCallable_Check(current.object) != 0 else {
            let type = StartResponse.typeName(current.object)
            current.release()
            throw PythonError(message: "\(target.label) is not callable (it is a \(type))")
        }
        return current
    }

    /// Runs one request through the app (PEP 3333) and reports what happened. Any thread.
    public func handle(_ request: WSGIRequest, exchange: WSGIExchange) -> WSGIOutcome {
        let state = GIL.acquire()
        defer { PyGILState_Release(state) }
        let context = RequestContext(exchange: exchange, bridge: bridge)
        let thread = bridge.enter(context)
        defer { bridge.leave(thread) }
        return withExtendedLifetime(context) { run(request, context) }
    }

    private func run(_ request: WSGIRequest, _ context: RequestContext) -> WSGIOutcome {
        let pointer = Unmanaged.passUnretained(context).toOpaque()
        let types = bridge.types
        guard let input = BridgeTypes.holder(types.input, pointer) else { return failed(context) }
        defer { finish(input, context) }
        guard let errors = BridgeTypes.holder(types.errors, pointer) else { return failed(context) }
        defer { finish(errors, context) }
        guard let response = BridgeTypes.holder(types.response, pointer) else { return failed(context) }
        defer { finish(response, context) }
        guard let environ = bridge.environ(request, input: input, errors: errors) else { return failed(context) }
        defer { Py_DecRef(environ) }
        guard let startResponse = PyCFunction_NewEx(types.startResponseDef, response, nil) else {
            return failed(context)
        }
        defer { Py_DecRef(startResponse) }
        guard let result = swpy_call2(callable.object, environ, startResponse) else { return failed(context) }
        defer { Py_DecRef(result) }
        return ResponseDriver(context: context, bridge: bridge).deliver(result)
    }

    /// Detaches a holder from the request (late calls raise ValueError) and drops it.
    private func finish(_ holder: PyPointer, _ context: RequestContext) {
        swpy_holder_set_context(holder, nil)
        Py_DecRef(holder)
        if let write = context.writeCallable {
            context.writeCallable = nil
            Py_DecRef(write)
        }
        context.flushErrors()
    }

    /// The app raised before returning its iterable: log and report.
    private func failed(_ context: RequestContext) -> WSGIOutcome {
        ResponseDriver(context: context, bridge: bridge).failure(PythonException.fetch())
    }
}
