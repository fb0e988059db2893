import CPython

/// C-level signatures of METH_FASTCALL functions (CPython stores them cast to `PyCFunction`).
typealias FastFunction = @convention(c) (PyPointer?, UnsafePointer<PyPointer?>?, Py_ssize_t) -> PyPointer?
typealias FastKeywordsFunction = @convention(c) (PyPointer?, UnsafePointer<PyPointer?>?, Py_ssize_t, PyPointer?)
    -> PyPointer?

/// Liege's three per-request Python types, made with `PyType_FromSpec`: `liege.Input` (wsgi.input),
/// `liege.Errors` (wsgi.errors) and `liege.Response` (the `self` of start_response and write).
/// Each object is a `swpy_holder`: a pointer to the request's `RequestContext`, cleared when the
/// request ends. Method tables live as long as the process (CPython keeps pointers to them).
struct BridgeTypes: @unchecked Sendable {
    let input: PyRef
    let errors: PyRef
    let response: PyRef
    let startResponseDef: UnsafeMutablePointer<PyMethodDef>
    let writeDef: UnsafeMutablePointer<PyMethodDef>

    init() throws(PythonError) {
        let inputMethods = BridgeTypes.table([
            BridgeTypes.method("read", fast: InputStream.read),
            BridgeTypes.method("readline", fast: InputStream.readline),
            BridgeTypes.method("readlines", fast: InputStream.readlines),
        ])
        let errorsMethods = BridgeTypes.table([
            BridgeTypes.method("write", one: ErrorStream.write),
            BridgeTypes.method("writelines", one: ErrorStream.writelines),
            BridgeTypes.method("flush", none: ErrorStream.flush),
        ])
        input = try BridgeTypes.makeType("liege.Input", methods: inputMethods, iterable: true)
        errors = try BridgeTypes.makeType("liege.Errors", methods: errorsMethods, iterable: false)
        response = try BridgeTypes.makeType("liege.Response", methods: nil, iterable: false)
        startResponseDef = BridgeTypes.table([BridgeTypes.method("start_response", fastKeywords: StartResponse.call)])
        writeDef = BridgeTypes.table([BridgeTypes.method("write", one: StartResponse.write)])
    }

    /// A new holder object of `type` pointing at `context`.
    @inline(__always)
    static func holder(_ type: PyRef, _ context: UnsafeMutableRawPointer) -> PyPointer? {
        type.object.withMemoryRebound(to: PyTypeObject.self, capacity: 1) { swpy_holder_new($0, context) }
    }

    private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    static func method(_ name: StaticString, fast: FastFunction) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: unsafeBitCast(fast, to: PyCFunction.self),
                    ml_flags: swpy_meth_fastcall(), ml_doc: nil)
    }

    static func method(_ name: StaticString, fastKeywords: FastKeywordsFunction) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: unsafeBitCast(fastKeywords, to: PyCFunction.self),
                    ml_flags: swpy_meth_fastcall_keywords(), ml_doc: nil)
    }

    static func method(_ name: StaticString, one: PyCFunction) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: one, ml_flags: swpy_meth_o(), ml_doc: nil)
    }

    static func method(_ name: StaticString, none: PyCFunction) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: none, ml_flags: swpy_meth_noargs(), ml_doc: nil)
    }

    /// A zero-terminated method table that is never freed.
    static func table(_ methods: [PyMethodDef]) -> UnsafeMutablePointer<PyMethodDef> {
        let table = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: methods.count + 1)
        for (index, method) in methods.enumerated() {
            (table + index).initialize(to: method)
        }
        (table + methods.count).initialize(to: PyMethodDef(ml_name: nil, ml_meth: nil, ml_flags: 0, ml_doc: nil))
        return table
    }

    static func makeType(_ name: StaticString, methods: UnsafeMutablePointer<PyMethodDef>?,
                                 iterable: Bool) throws(PythonError) -> PyRef {
        let dealloc: destructor = swpy_holder_dealloc
        var slots: [PyType_Slot] = [PyType_Slot(slot: Py_tp_dealloc, pfunc: unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self))]
        if let methods {
            slots.append(PyType_Slot(slot: Py_tp_methods, pfunc: UnsafeMutableRawPointer(methods)))
        }
        if iterable {
            let iter: getiterfunc = PyObject_SelfIter
            slots.append(PyType_Slot(slot: Py_tp_iter, pfunc: unsafeBitCast(iter, to: UnsafeMutableRawPointer.self)))
            slots.append(PyType_Slot(slot: Py_tp_iternext,
                                     pfunc: unsafeBitCast(InputStream.next, to: UnsafeMutableRawPointer.self)))
        }
        slots.append(PyType_Slot(slot: 0, pfunc: nil))
        let type = slots.withUnsafeMutableBufferPointer { buffer in
            var spec = PyType_Spec(name: cString(name), basicsize: swpy_holder_size(), itemsize: 0,
                                   flags: swpy_type_flags(), slots: buffer.baseAddress)
            return PyType_FromSpec(&spec)
        }
        guard let ref = PyRef(owning: type) else {
            throw PythonRuntime.currentError(context: "cannot create the type \(name)")
        }
        return ref
    }
}
