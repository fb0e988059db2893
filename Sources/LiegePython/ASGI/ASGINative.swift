import CPython

/// The `native` object of `_liege_asgi`: a `liege.ASGINative` holder whose methods are C-level
/// functions over the worker's `ASGIBackend`. Made once per worker; lives as long as the process.
final class ASGINative {
    let backend: ASGIBackend
    /// Set by `configure`, before the first `fetch`.
    private var scopes: ASGIScopeBuilder?

    init(backend: ASGIBackend) {
        self.backend = backend
    }

    /// The Python object (a new reference); the native object is kept alive for good.
    func makeObject() throws(PythonError) -> PyRef {
        let type = try ASGINative.type()
        let pointer = Unmanaged.passRetained(self).toOpaque()
        guard let object = PyRef(owning: BridgeTypes.holder(type, pointer)) else {
            throw PythonRuntime.currentError(context: "cannot create the ASGI native object")
        }
        return object
    }

    private static func of(_ holder: PyPointer?) -> ASGINative? {
        guard let holder, let pointer = swpy_holder_context(holder) else {
            _ = PyText.raise(swpy_exc_runtime_error(), "the ASGI bridge is gone")
            return nil
        }
        return Unmanaged<ASGINative>.fromOpaque(pointer).takeUnretainedValue()
    }

    private static func type() throws(PythonError) -> PyRef {
        let methods = BridgeTypes.table([
            BridgeTypes.method("configure", fast: configure),
            BridgeTypes.method("fetch", none: fetch),
            BridgeTypes.method("receive", one: receive),
            BridgeTypes.method("send", fast: send),
            BridgeTypes.method("writable", one: writable),
            BridgeTypes.method("accept", fast: accept),
            BridgeTypes.method("send_text", fast: sendText),
            BridgeTypes.method("send_bytes", fast: sendBytes),
            BridgeTypes.method("close", fast: close),
            BridgeTypes.method("done", fast: done),
            BridgeTypes.method("flush", none: flush),
            BridgeTypes.method("log", one: log),
        ])
        return try BridgeTypes.makeType("liege.ASGINative", methods: methods, iterable: false)
    }

    // MARK: methods

    /// configure(state, root_path, unquote): what every scope shares.
    private static let configure: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 3, let args, let state = args[0], let rootPath = args[1], let unquote = args[2],
              swpy_unicode_check(rootPath) != 0 else {
            return PyText.raise(swpy_exc_type_error(), "configure(state, root_path, unquote)")
        }
        guard let scopes = ASGIScopeBuilder(state: state, rootPath: rootPath, unquote: unquote) else { return nil }
        native.scopes = scopes
        return swpy_newref_none()
    }

    private static let fetch: PyCFunction = { holder, _ in
        guard let native = of(holder) else { return nil }
        guard let scopes = native.scopes else {
            return PyText.raise(swpy_exc_runtime_error(), "the ASGI bridge is not configured")
        }
        let events = native.backend.takeEvents()
        guard let list = PyList_New(events.count) else { return nil }
        for (index, event) in events.enumerated() {
            guard let item = ASGIEventObjects.make(event, scopes: scopes) else {
                Py_DecRef(list)
                return nil
            }
            PyList_SetItem(list, index, item)   // steals item
        }
        return list
    }

    private static let receive: PyCFunction = { holder, argument in
        guard let native = of(holder), let id = connectionID(argument) else { return nil }
        switch native.backend.receive(id) {
        case .wait:
            return swpy_newref_none()
        case .body(let bytes, let more):
            guard let tuple = PyTuple_New(2) else { return nil }
            swpy_tuple_set(tuple, 0, ASGIEventObjects.bytes(bytes))
            swpy_tuple_set(tuple, 1, swpy_newref_bool(more ? 1 : 0))
            return tuple
        case .text(let text):
            return PyText.make(text)
        case .binary(let bytes):
            return ASGIEventObjects.bytes(bytes)
        case .disconnected(let code):
            return PyLong_FromLong(code)
        }
    }

    /// send(cid, status, headers or None, body, more_body)
    private static let send: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 5, let args, let id = connectionID(args[0]), let statusObject = args[1],
              let headersObject = args[2], let body = args[3], let moreObject = args[4] else {
            return PyText.raise(swpy_exc_type_error(), "send(cid, status, headers, body, more_body)")
        }
        var head: ASGIResponseHead?
        if swpy_is_none(headersObject) == 0 {
            guard swpy_long_check(statusObject) != 0 else {
                return PyText.raise(swpy_exc_type_error(), "ASGI: the response status must be an int")
            }
            let status = PyLong_AsLong(statusObject)
            guard (100...999).contains(status) else {
                return PyText.raise(swpy_exc_value_error(), "ASGI: invalid response status \(status)")
            }
            guard let headers = ASGIEventObjects.headerPairs(headersObject) else { return nil }
            head = ASGIResponseHead(status: status, headers: headers)
        }
        guard swpy_bytes_check(body) != 0 else {
            return PyText.raise(swpy_exc_type_error(),
                                "ASGI: 'body' must be bytes, not \(StartResponse.typeName(body))")
        }
        let more = PyObject_IsTrue(moreObject) == 1
        let bytes = UnsafeRawBufferPointer(start: swpy_bytes_data(body), count: swpy_bytes_size(body))
        return result(native.backend.sendResponse(id, head: head, body: bytes, more: more))
    }

    private static let writable: PyCFunction = { holder, argument in
        guard let native = of(holder), let id = connectionID(argument) else { return nil }
        return swpy_newref_bool(native.backend.writable(id) ? 1 : 0)
    }

    /// accept(cid, subprotocol or None, headers)
    private static let accept: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 3, let args, let id = connectionID(args[0]), let subprotocolObject = args[1],
              let headersObject = args[2] else {
            return PyText.raise(swpy_exc_type_error(), "accept(cid, subprotocol, headers)")
        }
        var subprotocol: String?
        if swpy_is_none(subprotocolObject) == 0 {
            guard let text = PyText.string(subprotocolObject) else {
                return PyText.raise(swpy_exc_type_error(), "ASGI: the subprotocol must be a str")
            }
            subprotocol = text
        }
        guard let headers = ASGIEventObjects.headerPairs(headersObject) else { return nil }
        return result(native.backend.accept(id, subprotocol: subprotocol, headers: headers))
    }

    private static let sendText: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 2, let args, let id = connectionID(args[0]), let text = args[1],
              swpy_unicode_check(text) != 0 else {
            return PyText.raise(swpy_exc_type_error(), "ASGI: 'text' must be a str")
        }
        var length = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(text, &length) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: utf8, count: length)
        return result(native.backend.sendMessage(id, .text(bytes)))
    }

    private static let sendBytes: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 2, let args, let id = connectionID(args[0]), let data = args[1],
              swpy_bytes_check(data) != 0 else {
            return PyText.raise(swpy_exc_type_error(), "ASGI: 'bytes' must be bytes")
        }
        let bytes = UnsafeRawBufferPointer(start: swpy_bytes_data(data), count: swpy_bytes_size(data))
        return result(native.backend.sendMessage(id, .binary(bytes)))
    }

    /// close(cid, code, reason)
    private static let close: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 3, let args, let id = connectionID(args[0]), let codeObject = args[1],
              swpy_long_check(codeObject) != 0, let reasonObject = args[2],
              let reason = PyText.string(reasonObject) else {
            return PyText.raise(swpy_exc_type_error(), "ASGI: 'websocket.close' needs an int code and a str reason")
        }
        return result(native.backend.close(id, code: PyLong_AsLong(codeObject), reason: reason))
    }

    /// done(cid, traceback text or None)
    private static let done: FastFunction = { holder, args, count in
        guard let native = of(holder) else { return nil }
        guard count == 2, let args, let id = connectionID(args[0]), let failure = args[1] else {
            return PyText.raise(swpy_exc_type_error(), "done(cid, failure)")
        }
        native.backend.finished(id, failure: swpy_is_none(failure) != 0 ? nil : (PyText.string(failure) ?? "error"))
        return swpy_newref_none()
    }

    private static let flush: PyCFunction = { holder, _ in
        guard let native = of(holder) else { return nil }
        native.backend.flush()
        return swpy_newref_none()
    }

    private static let log: PyCFunction = { holder, argument in
        guard let native = of(holder), let argument else { return nil }
        native.backend.log(PyText.string(argument) ?? "")
        return swpy_newref_none()
    }

    // MARK: helpers

    private static func connectionID(_ object: PyPointer?) -> Int? {
        guard let object, swpy_long_check(object) != 0 else {
            _ = PyText.raise(swpy_exc_type_error(), "ASGI: bad connection id")
            return nil
        }
        return PyLong_AsLong(object)
    }

    private static func result(_ outcome: ASGISendResult) -> PyPointer? {
        switch outcome {
        case .sent: return swpy_newref_bool(1)
        case .wait: return swpy_newref_bool(0)
        case .gone: return swpy_newref_none()
        case .invalid(let message): return PyText.raise(swpy_exc_runtime_error(), "ASGI: \(message)")
        }
    }
}
