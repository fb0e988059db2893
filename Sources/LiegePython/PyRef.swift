import CPython

/// A Python object pointer as CPython hands it out.
typealias PyPointer = UnsafeMutablePointer<PyObject>

/// An owned (strong) reference to a Python object that lives as long as the interpreter:
/// the app callable, the bridge's interned strings and types. Per-request temporaries are
/// plain `PyPointer`s released with `defer { Py_DecRef(...) }` in the scope that made them.
/// Python objects are touched only with the GIL held, which is what makes this `Sendable`.
struct PyRef: @unchecked Sendable {
    let object: PyPointer

    /// Takes over a new reference (nil when the C call failed, with a Python error set).
    init?(owning object: PyPointer?) {
        guard let object else { return nil }
        self.object = object
    }

    /// Takes a new reference to a live object.
    init(retaining object: PyPointer) {
        swpy_incref(object)
        self.object = object
    }

    /// Drops the reference. GIL required.
    func release() {
        Py_DecRef(object)
    }
}

/// GIL handling. Every thread that runs Python keeps one CPython thread state for its whole life
/// (made on its first request), so a request costs one acquire and one release, not a thread-state
/// allocation. Exchange calls run with the GIL released (`released`), so other Python threads run.
enum GIL {
    /// Takes the GIL on any thread; pair with `PyGILState_Release`.
    static func acquire() -> PyGILState_STATE {
        if PyGILState_GetThisThreadState() == nil {
            // First Python work on this thread: make its thread state and keep it (counter stays 1).
            _ = PyGILState_Ensure()
            _ = PyEval_SaveThread()
        }
        return PyGILState_Ensure()
    }

    /// Runs `body` with the GIL held, from any thread.
    static func holding<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let state = acquire()
        defer { PyGILState_Release(state) }
        return try body()
    }

    /// Runs `body` with the GIL released. Call only while holding it.
    @inline(__always)
    static func released<T>(_ body: () throws -> T) rethrows -> T {
        let saved = PyEval_SaveThread()
        defer { PyEval_RestoreThread(saved) }
        return try body()
    }
}
