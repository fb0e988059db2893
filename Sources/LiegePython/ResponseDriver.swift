import CPython

/// Sends what the app returned: iterates the result (fast paths for a list or tuple, and sendfile for
/// `wsgi.file_wrapper`), sends the head with the first non-empty chunk (or at the end for an empty
/// body), always calls `result.close()`, then finishes the exchange. GIL held throughout, except
/// inside exchange calls.
struct ResponseDriver {
    let context: RequestContext
    let bridge: Bridge

    private enum Step {
        case done
        case pythonError
        case exchangeFailed
        case fallback
    }

    func deliver(_ result: PyPointer) -> WSGIOutcome {
        var step = Step.fallback
        if swpy_type_object(result) == bridge.fileWrapperType.object {
            step = sendFileWrapper(result)
        }
        if step == .fallback {
            if swpy_list_check_exact(result) != 0 || swpy_tuple_check_exact(result) != 0 {
                step = sendSequence(result)
            } else {
                step = sendIterable(result)
            }
        }
        var exception = step == .pythonError ? PythonException.fetch() : nil
        if let closeFailure = close(result) {
            if exception == nil { exception = closeFailure } else { context.log(closeFailure.traceback) }
        }
        if let exception { return failure(exception) }
        if step == .exchangeFailed { return .connectionLost }
        guard context.status != nil else {
            context.log("\(bridge.label(of: result)): the app returned without calling start_response()")
            return .failedBeforeHead
        }
        guard context.outputAvailable() else { return failure(PythonException.fetch()) }
        guard context.sendHeadIfPending(knownLength: 0) else { return .connectionLost }
        let exchange = context.exchange
        context.outputBusy = true
        let finished: Bool = GIL.released { (try? exchange.finish()) != nil }
        context.outputBusy = false
        // A body read that failed earlier (the app caught the OSError) still closes the connection.
        guard finished, !context.exchangeFailed else { return .connectionLost }
        return .completed(status: context.statusCode, bodyBytes: context.bodyBytes)
    }

    /// Logs an app failure and says what the worker should do.
    func failure(_ exception: PythonException?) -> WSGIOutcome {
        if context.exchangeFailed { return .connectionLost }
        context.log(exception?.traceback ?? "the WSGI app failed without a Python exception")
        if context.headSent {
            return .failedAfterHead(status: context.statusCode, bodyBytes: context.bodyBytes)
        }
        return .failedBeforeHead
    }

    /// A list or tuple: its length is known up front when every item is bytes.
    private func sendSequence(_ sequence: PyPointer) -> Step {
        let isList = swpy_list_check_exact(sequence) != 0
        func size() -> Int { isList ? swpy_list_size(sequence) : swpy_tuple_size(sequence) }
        func item(_ index: Int) -> PyPointer? {
            isList ? swpy_list_item(sequence, index) : swpy_tuple_item(sequence, index)
        }
        var knownLength: Int? = 0
        for index in 0..<size() {
            guard let chunk = item(index), swpy_bytes_check(chunk) != 0 else {
                knownLength = nil
                break
            }
            knownLength? += swpy_bytes_size(chunk)
        }
        var index = 0
        while index < size() {   // re-read: other threads may run while the GIL is released
            guard let chunk = item(index) else { break }
            swpy_incref(chunk)
            let step = emit(chunk, knownLength: knownLength)
            Py_DecRef(chunk)
            if step != .done { return step }
            index += 1
        }
        return .done
    }

    private func sendIterable(_ result: PyPointer) -> Step {
        guard let iterator = PyObject_GetIter(result) else { return .pythonError }
        defer { Py_DecRef(iterator) }
        while let chunk = PyIter_Next(iterator) {
            let step = emit(chunk, knownLength: nil)
            Py_DecRef(chunk)
            if step != .done { return step }
        }
        return PyErr_Occurred() == nil ? .done : .pythonError
    }

    /// One item of the app's iterable.
    private func emit(_ chunk: PyPointer, knownLength: Int?) -> Step {
        guard swpy_bytes_check(chunk) != 0 else {
            PyErr_SetString(swpy_exc_type_error(),
                            "the WSGI app's iterable must yield bytes, not \(StartResponse.typeName(chunk))")
            return .pythonError
        }
        let size = swpy_bytes_size(chunk)
        if size == 0 { return .done }
        guard context.status != nil else {
            PyErr_SetString(swpy_exc_runtime_error(), "the WSGI app sent body data before calling start_response()")
            return .pythonError
        }
        guard context.outputAvailable() else { return .pythonError }
        let buffer = UnsafeRawBufferPointer(start: swpy_bytes_data(chunk), count: size)
        return context.send(buffer, knownLength: knownLength) ? .done : .exchangeFailed
    }

    /// wsgi.file_wrapper over a regular file: head with the remaining size, then sendfile from the
    /// file's current position; `.fallback` when that cannot be used (iterate the wrapper instead).
    private func sendFileWrapper(_ wrapper: PyPointer) -> Step {
        guard let info = PyObject_CallOneArg(bridge.fileDescriptor.object, wrapper) else { return .pythonError }
        defer { Py_DecRef(info) }
        guard swpy_tuple_check(info) != 0, swpy_tuple_size(info) == 3,
              let descriptor = swpy_tuple_item(info, 0), let offset = swpy_tuple_item(info, 1),
              let remaining = swpy_tuple_item(info, 2) else { return .fallback }
        let fd = Int32(truncatingIfNeeded: PyLong_AsLong(descriptor))
        let start = PyLong_AsSsize_t(offset)
        let size = PyLong_AsSsize_t(remaining)
        if PyErr_Occurred() != nil { return .pythonError }
        guard context.status != nil else {
            PyErr_SetString(swpy_exc_runtime_error(), "the WSGI app returned a file before calling start_response()")
            return .pythonError
        }
        guard context.outputAvailable() else { return .pythonError }
        guard context.sendHeadIfPending(knownLength: size) else { return .exchangeFailed }
        if size == 0 { return .done }
        let exchange = context.exchange
        context.outputBusy = true
        let sent: Result<Bool, any Error> = GIL.released {
            Result { try exchange.sendFile(descriptor: fd, offset: start, count: nil) }
        }
        context.outputBusy = false
        switch sent {
        case .success(true):
            context.bodyBytes += size
            return .done
        case .success(false):
            return .fallback
        case .failure:
            context.exchangeFailed = true
            return .exchangeFailed
        }
    }

    /// Calls `result.close()` when it exists; the exception it raised, if any.
    private func close(_ result: PyPointer) -> PythonException? {
        if swpy_list_check_exact(result) != 0 || swpy_tuple_check_exact(result) != 0 { return nil }
        var method: PyPointer?
        let found = swpy_lookup_attr(result, bridge.closeName.object, &method)
        if found < 0 { return PythonException.fetch() }
        guard let method else { return nil }
        defer { Py_DecRef(method) }
        guard let value = PyObject_CallNoArgs(method) else { return PythonException.fetch() }
        Py_DecRef(value)
        return nil
    }
}

extension Bridge {
    /// The type name of an object, for messages.
    func label(of object: PyPointer) -> String {
        "WSGI result of type " + StartResponse.typeName(object)
    }
}
