import CPython

/// `wsgi.errors` (`liege.Errors`): a text stream whose complete lines go to `exchange.logError`.
enum ErrorStream {
    static let write: PyCFunction = { holder, text in
        guard let context = RequestContext.of(holder), let text else { return nil }
        guard let string = PyText.string(text) else {
            return PyText.raise(swpy_exc_type_error(), "wsgi.errors.write() argument must be str, not "
                + StartResponse.typeName(text))
        }
        context.appendError(string)
        return PyLong_FromSsize_t(PyUnicode_GetLength(text))
    }

    static let writelines: PyCFunction = { holder, lines in
        guard let context = RequestContext.of(holder), let lines, let iterator = PyObject_GetIter(lines) else {
            return nil
        }
        defer { Py_DecRef(iterator) }
        while let line = PyIter_Next(iterator) {
            defer { Py_DecRef(line) }
            guard let string = PyText.string(line) else {
                return PyText.raise(swpy_exc_type_error(), "wsgi.errors.writelines() items must be str")
            }
            context.appendError(string)
        }
        return PyErr_Occurred() == nil ? swpy_newref_none() : nil
    }

    static let flush: PyCFunction = { holder, _ in
        guard let context = RequestContext.of(holder) else { return nil }
        context.flushErrors()
        return swpy_newref_none()
    }
}

extension RequestContext {
    /// Buffers text and logs every complete line (several at once when they came together).
    func appendError(_ text: String) {
        errorsBuffer += text
        guard let lastNewline = errorsBuffer.lastIndex(of: "\n") else { return }
        let complete = String(errorsBuffer[..<lastNewline])
        errorsBuffer = String(errorsBuffer[errorsBuffer.index(after: lastNewline)...])
        log(complete)
    }
}
