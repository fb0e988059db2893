import CPython

/// `start_response(status, response_headers, exc_info=None)` and the `write(data)` callable it
/// returns, as C-level functions whose `self` is the request's `liege.Response` holder.
enum StartResponse {
    static let call: FastKeywordsFunction = { holder, args, count, keywordNames in
        guard let context = RequestContext.of(holder) else { return nil }
        var slots: (status: PyPointer?, headers: PyPointer?, excInfo: PyPointer?) = (nil, nil, nil)
        guard parse(args, count, keywordNames, into: &slots) else { return nil }
        guard let statusObject = slots.status, let headersObject = slots.headers else {
            return PyText.raise(swpy_exc_type_error(), "start_response() needs status and response_headers")
        }
        if let excInfo = slots.excInfo, swpy_is_none(excInfo) == 0 {
            if context.headSent { return reraise(excInfo) }
        } else if context.status != nil {
            return PyText.raise(swpy_exc_assertion_error(),
                                "start_response() called a second time without exc_info")
        }
        guard let status = PyText.latin1String(statusObject) else {
            return PyText.raise(swpy_exc_type_error(), "the status must be a latin-1 str, like '200 OK'")
        }
        guard let code = ResponseRules.statusCode(status) else {
            return PyText.raise(swpy_exc_value_error(),
                                "invalid status \(status.debugDescription): expected three digits, a space and a reason")
        }
        guard let headers = headerList(headersObject) else { return nil }
        context.status = status
        context.statusCode = code
        context.headers = headers
        context.appSetContentLength = headers.contains { ResponseRules.equalsIgnoringCase($0.name, "content-length") }
        if context.writeCallable == nil {
            context.writeCallable = PyCFunction_NewEx(context.bridge.types.writeDef, holder, nil)
        }
        guard let write = context.writeCallable else { return nil }
        return swpy_newref(write)
    }

    static let write: PyCFunction = { holder, data in
        guard let context = RequestContext.of(holder), let data else { return nil }
        guard context.status != nil else {
            return PyText.raise(swpy_exc_runtime_error(), "write() called before start_response()")
        }
        guard swpy_bytes_check(data) != 0 else {
            return PyText.raise(swpy_exc_type_error(), "write() argument must be bytes, not \(typeName(data))")
        }
        let size = swpy_bytes_size(data)
        guard context.outputAvailable() else { return nil }
        if size > 0 {
            let chunk = UnsafeRawBufferPointer(start: swpy_bytes_data(data), count: size)
            guard context.send(chunk, knownLength: nil) else {
                return PyText.raise(swpy_exc_os_error(), "write() failed: the client connection is gone")
            }
        }
        return swpy_newref_none()
    }

    /// Positional and keyword arguments into (status, headers, exc_info); false with a TypeError set.
    private static func parse(_ args: UnsafePointer<PyPointer?>?, _ count: Int, _ keywordNames: PyPointer?,
                              into slots: inout (status: PyPointer?, headers: PyPointer?, excInfo: PyPointer?)) -> Bool {
        guard count <= 3 else {
            PyErr_SetString(swpy_exc_type_error(), "start_response() takes at most 3 arguments (\(count) given)")
            return false
        }
        if count > 0 { slots.status = args?[0] }
        if count > 1 { slots.headers = args?[1] }
        if count > 2 { slots.excInfo = args?[2] }
        guard let keywordNames else { return true }
        for index in 0..<PyTuple_Size(keywordNames) {
            let name = swpy_tuple_item(keywordNames, index).flatMap(PyText.string) ?? ""
            let value = args?[count + index]
            switch name {
            case "status": slots.status = value
            case "headers", "response_headers": slots.headers = value
            case "exc_info": slots.excInfo = value
            default:
                PyErr_SetString(swpy_exc_type_error(), "start_response() got an unexpected keyword argument '\(name)'")
                return false
            }
        }
        return true
    }

    /// The app's header list, validated; nil with a Python error set.
    private static func headerList(_ object: PyPointer) -> [(name: String, value: String)]? {
        guard swpy_list_check(object) != 0 else {
            _ = PyText.raise(swpy_exc_type_error(), "response_headers must be a list, not \(typeName(object))")
            return nil
        }
        let count = swpy_list_size(object)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(count)
        for index in 0..<count {
            guard let item = swpy_list_item(object, index), swpy_tuple_check(item) != 0, swpy_tuple_size(item) == 2,
                  let nameObject = swpy_tuple_item(item, 0), let valueObject = swpy_tuple_item(item, 1),
                  let name = PyText.latin1String(nameObject), let value = PyText.latin1String(valueObject) else {
                _ = PyText.raise(swpy_exc_type_error(),
                                 "response header \(index) must be a (str, str) tuple of latin-1 text")
                return nil
            }
            if let problem = ResponseRules.headerProblem(name: name, value: value) {
                _ = PyText.raise(swpy_exc_value_error(), problem)
                return nil
            }
            headers.append((name, value))
        }
        return headers
    }

    /// Raises exc_info[1] again (with its traceback), as PEP 3333 asks once the head is out.
    private static func reraise(_ excInfo: PyPointer) -> PyPointer? {
        guard swpy_tuple_check(excInfo) != 0, swpy_tuple_size(excInfo) == 3,
              let type = swpy_tuple_item(excInfo, 0), let value = swpy_tuple_item(excInfo, 1) else {
            return PyText.raise(swpy_exc_type_error(), "exc_info must be a (type, value, traceback) tuple")
        }
        let traceback = swpy_tuple_item(excInfo, 2).flatMap { swpy_is_none($0) != 0 ? nil : $0 }
        swpy_incref(type)
        swpy_incref(value)
        if let traceback { swpy_incref(traceback) }
        PyErr_Restore(type, value, traceback)
        return nil
    }

    static func typeName(_ object: PyPointer) -> String {
        guard let name = PyType_GetName(swpy_type(object)) else {
            PyErr_Clear()
            return "?"
        }
        defer { Py_DecRef(name) }
        return PyText.string(name) ?? "?"
    }
}
