import CPython

/// The Python exception currently set, taken out of the interpreter as text. GIL required.
struct PythonException {
    /// "ModuleNotFoundError: No module named 'shop'".
    var summary: String
    /// The whole "Traceback (most recent call last): ..." text.
    var traceback: String

    /// Fetches (and clears) the current exception; nil when none is set.
    static func fetch() -> PythonException? {
        var type: PyPointer?
        var value: PyPointer?
        var traceback: PyPointer?
        PyErr_Fetch(&type, &value, &traceback)
        guard type != nil else { return nil }
        PyErr_NormalizeException(&type, &value, &traceback)
        defer {
            Py_DecRef(type)
            Py_DecRef(value)
            Py_DecRef(traceback)
        }
        guard let value else { return PythonException(summary: "unknown Python error", traceback: "") }
        if let traceback { PyException_SetTraceback(value, traceback) }
        let summary = format(value, "format_exception_only") ?? fallback(value)
        let full = format(value, "format_exception") ?? summary
        return PythonException(summary: summary.trimmingTrailingNewlines(), traceback: full.trimmingTrailingNewlines())
    }

    /// `"".join(traceback.<function>(value))`, or nil if that fails.
    private static func format(_ value: PyPointer, _ function: String) -> String? {
        defer { PyErr_Clear() }
        guard let module = PyImport_ImportModule("traceback") else { return nil }
        defer { Py_DecRef(module) }
        guard let name = PyText.make(function) else { return nil }
        defer { Py_DecRef(name) }
        guard let lines = swpy_call_method1(module, name, value) else { return nil }
        defer { Py_DecRef(lines) }
        guard let empty = PyText.make("") else { return nil }
        defer { Py_DecRef(empty) }
        guard let joined = PyUnicode_Join(empty, lines) else { return nil }
        defer { Py_DecRef(joined) }
        return PyText.string(joined)
    }

    private static func fallback(_ value: PyPointer) -> String {
        defer { PyErr_Clear() }
        guard let text = PyObject_Str(value) else { return StartResponse.typeName(value) }
        defer { Py_DecRef(text) }
        return StartResponse.typeName(value) + ": " + (PyText.string(text) ?? "?")
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
