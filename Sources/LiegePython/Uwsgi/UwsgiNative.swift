import CPython

/// The `_native` object of the `uwsgi` module: a `liege.UwsgiNative` holder whose methods reach the
/// process's `UwsgiServices` (with the GIL released) and the request running on the calling thread.
enum UwsgiNative {
    static func makeObject() throws(PythonError) -> PyRef {
        let methods = BridgeTypes.table([
            BridgeTypes.method("worker_id", none: workerID),
            BridgeTypes.method("request_id", none: requestID),
            BridgeTypes.method("total_requests", none: totalRequests),
            BridgeTypes.method("first_worker", none: firstWorker),
            BridgeTypes.method("set_logvar", fast: setLogVariable),
            BridgeTypes.method("get_logvar", one: getLogVariable),
            BridgeTypes.method("lock", one: lock),
            BridgeTypes.method("unlock", one: unlock),
            BridgeTypes.method("is_locked", one: isLocked),
            BridgeTypes.method("cache", fast: UwsgiCacheCall.call),
            BridgeTypes.method("spool_wait", one: spoolWait),
        ])
        let type = try BridgeTypes.makeType("liege.UwsgiNative", methods: methods, iterable: false)
        defer { type.release() }
        guard let object = PyRef(owning: BridgeTypes.holder(type, UnsafeMutableRawPointer(methods))) else {
            throw PythonRuntime.currentError(context: "cannot create the uwsgi native object")
        }
        return object
    }

    static var services: UwsgiServices? {
        guard let services = UwsgiRuntime.services else {
            _ = PyText.raise(swpy_exc_runtime_error(), "the uwsgi module is not available in this process")
            return nil
        }
        return services
    }

    /// The request the calling thread is running, or nil with a ValueError set.
    static func currentRequest(_ function: String) -> RequestContext? {
        guard let bridge = PythonRuntime.bridge, let context = bridge.currentRequest() else {
            _ = PyText.raise(swpy_exc_value_error(), "uwsgi.\(function)() works only while a request runs on this thread")
            return nil
        }
        return context
    }

    static func integer(_ object: PyPointer?) -> Int? {
        guard let object, swpy_long_check(object) != 0 else {
            _ = PyText.raise(swpy_exc_type_error(), "expected an int")
            return nil
        }
        let value = PyLong_AsLong(object)
        if value == -1, PyErr_Occurred() != nil { return nil }
        return value
    }

    private static let workerID: PyCFunction = { _, _ in PyLong_FromLong(UwsgiRuntime.workerID) }

    private static let requestID: PyCFunction = { _, _ in
        guard let bridge = PythonRuntime.bridge, let context = bridge.currentRequest() else { return PyLong_FromLong(0) }
        return PyLong_FromLong(context.number)
    }

    private static let totalRequests: PyCFunction = { _, _ in
        guard let services else { return nil }
        return PyLong_FromLong(GIL.released { services.totalRequests() })
    }

    private static let firstWorker: PyCFunction = { _, _ in
        guard let services else { return nil }
        return PyLong_FromLong(GIL.released { services.firstServingWorker() })
    }

    private static let setLogVariable: FastFunction = { _, arguments, count in
        guard count == 2, let arguments, let keyObject = arguments[0], let valueObject = arguments[1],
              let key = PyText.string(keyObject), let value = PyText.string(valueObject) else {
            return PyText.raise(swpy_exc_type_error(), "set_logvar(key, value) takes two strings")
        }
        guard let context = currentRequest("set_logvar") else { return nil }
        context.exchange.setLogVariable(key, value)
        return swpy_newref_none()
    }

    private static let getLogVariable: PyCFunction = { _, argument in
        guard let argument, let key = PyText.string(argument) else { return PyText.raise(swpy_exc_type_error(), "expected a str") }
        guard let context = currentRequest("get_logvar") else { return nil }
        guard let value = context.exchange.logVariable(key) else { return swpy_newref_none() }
        return PyText.make(value)
    }

    private static let lock: PyCFunction = { _, argument in
        guard let index = integer(argument), let services else { return nil }
        guard GIL.released({ services.lock(index) }) else { return PyText.raise(swpy_exc_value_error(), "Invalid lock number") }
        return swpy_newref_none()
    }

    private static let unlock: PyCFunction = { _, argument in
        guard let index = integer(argument), let services else { return nil }
        guard services.unlock(index) else { return PyText.raise(swpy_exc_value_error(), "Invalid lock number") }
        return swpy_newref_none()
    }

    private static let isLocked: PyCFunction = { _, argument in
        guard let index = integer(argument), let services else { return nil }
        guard let held = GIL.released({ services.isLocked(index) }) else {
            return PyText.raise(swpy_exc_value_error(), "Invalid lock number")
        }
        return swpy_newref_bool(held ? 1 : 0)
    }

    private static let spoolWait: PyCFunction = { _, argument in
        guard let milliseconds = integer(argument), let services else { return nil }
        return swpy_newref_bool(GIL.released { services.waitForTasks(milliseconds: max(0, milliseconds)) } ? 1 : 0)
    }
}
