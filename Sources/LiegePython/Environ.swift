import CPython

extension Bridge {
    /// A new environ dict for `request`: a copy of the constant template, every CGI variable as a
    /// latin-1 `str` under an interned key, `wsgi.url_scheme`, `wsgi.input` and `wsgi.errors`.
    /// nil with a Python error set on failure. GIL held.
    func environ(_ request: WSGIRequest, input: PyPointer, errors: PyPointer) -> PyPointer? {
        guard let environ = PyDict_Copy(environTemplate.object) else { return nil }
        for (position, variable) in request.variables.enumerated() {
            guard let key = key(variable.name, at: position) else {
                Py_DecRef(environ)
                return nil
            }
            let value: PyPointer? = variable.value.isEmpty
                ? swpy_newref(emptyString.object)
                : variable.value.withUnsafeBufferPointer { PyText.latin1($0) }
            guard let value else {
                Py_DecRef(key)
                Py_DecRef(environ)
                return nil
            }
            let stored = PyDict_SetItem(environ, key, value)
            Py_DecRef(key)
            Py_DecRef(value)
            guard stored == 0 else {
                Py_DecRef(environ)
                return nil
            }
        }
        let scheme: PyPointer?
        switch request.urlScheme {
        case "http": scheme = swpy_newref(http.object)
        case "https": scheme = swpy_newref(https.object)
        default: scheme = PyText.make(request.urlScheme)
        }
        guard let scheme else {
            Py_DecRef(environ)
            return nil
        }
        defer { Py_DecRef(scheme) }
        guard PyDict_SetItem(environ, schemeKey.object, scheme) == 0,
              PyDict_SetItem(environ, inputKey.object, input) == 0,
              PyDict_SetItem(environ, errorsKey.object, errors) == 0 else {
            Py_DecRef(environ)
            return nil
        }
        return environ
    }
}
