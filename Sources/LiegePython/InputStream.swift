import CPython

/// `wsgi.input` (`liege.Input`): read(), read(n), read(-1), readline(), readline(n), readlines(hint)
/// and iteration over lines, bounded by the request body. The body comes from `exchange.readBody`
/// with the GIL released, through a buffer in the request context.
enum InputStream {
    static let read: FastFunction = { holder, args, count in
        guard let context = RequestContext.of(holder), let limit = size(args, count, "read") else { return nil }
        return context.readBytes(limit)
    }

    static let readline: FastFunction = { holder, args, count in
        guard let context = RequestContext.of(holder), let limit = size(args, count, "readline") else { return nil }
        return context.readLine(limit)
    }

    static let readlines: FastFunction = { holder, args, count in
        guard let context = RequestContext.of(holder), let hint = size(args, count, "readlines") else { return nil }
        guard let lines = PyList_New(0) else { return nil }
        var total = 0
        while true {
            guard let line = context.readLine(-1) else {
                Py_DecRef(lines)
                return nil
            }
            defer { Py_DecRef(line) }
            let length = swpy_bytes_size(line)
            if length == 0 { break }
            guard PyList_Append(lines, line) == 0 else {
                Py_DecRef(lines)
                return nil
            }
            total += length
            if hint > 0 && total >= hint { break }
        }
        return lines
    }

    /// `__next__`: the next line; NULL without an error set ends the iteration.
    static let next: iternextfunc = { holder in
        guard let context = RequestContext.of(holder), let line = context.readLine(-1) else { return nil }
        if swpy_bytes_size(line) == 0 {
            Py_DecRef(line)
            return nil
        }
        return line
    }

    /// The optional size argument: nil with a Python error set, negative for "no limit".
    private static func size(_ args: UnsafePointer<PyPointer?>?, _ count: Int, _ name: String) -> Int? {
        guard count <= 1 else {
            _ = PyText.raise(swpy_exc_type_error(), "\(name)() takes at most 1 argument (\(count) given)")
            return nil
        }
        guard count == 1, let argument = args?[0], swpy_is_none(argument) == 0 else { return -1 }
        let value = PyNumber_AsSsize_t(argument, swpy_exc_os_error())
        if value == -1, PyErr_Occurred() != nil { return nil }
        return value
    }
}

extension RequestContext {
    /// read(limit); a negative limit reads to the end of the body. A new bytes object, or nil with an error set.
    func readBytes(_ limit: Int) -> PyPointer? {
        guard notBusy() else { return nil }
        while !inputComplete && (limit < 0 || input.count < limit) {
            guard fillOnce() else { return nil }
        }
        return take(limit < 0 ? input.count : min(limit, input.count))
    }

    /// readline(limit): up to and including the next b"\n", at most `limit` bytes when limit >= 0.
    func readLine(_ limit: Int) -> PyPointer? {
        guard notBusy() else { return nil }
        var scanned = 0
        while true {
            let window = limit >= 0 ? min(input.count, limit) : input.count
            if scanned < window, let newline = input.bytes[scanned..<window].firstIndex(of: UInt8(ascii: "\n")) {
                return take(newline + 1)
            }
            scanned = window
            if (limit >= 0 && input.count >= limit) || inputComplete { return take(window) }
            guard fillOnce() else { return nil }
        }
    }

    /// Moves `count` buffered bytes into a new bytes object.
    private func take(_ count: Int) -> PyPointer? {
        let bytes = input.bytes
        let object = PyBytes_FromStringAndSize(count > 0 ? bytes.baseAddress?.assumingMemoryBound(to: CChar.self) : nil,
                                               count)
        input.consume(count)
        return object
    }

    /// Reads one more piece of the body with the GIL released. False with OSError set when the exchange threw.
    /// False (RuntimeError set) while another thread of the app is inside a body read of this request.
    private func notBusy() -> Bool {
        guard inputBusy else { return true }
        PyErr_SetString(swpy_exc_runtime_error(), "wsgi.input read from two threads at once")
        return false
    }

    private func fillOnce() -> Bool {
        let target = input.reserve(max(65_536, min(input.count, 4 << 20)))
        inputBusy = true
        let exchange = self.exchange
        let result: Result<Int, any Error> = GIL.released { Result { try exchange.readBody(into: target) } }
        inputBusy = false
        switch result {
        case .success(let count):
            let read = max(0, min(count, target.count))
            input.commit(read)
            if read == 0 { inputComplete = true }
            return true
        case .failure(let error):
            exchangeFailed = true
            PyErr_SetString(swpy_exc_os_error(), "reading the request body failed: \(error)")
            return false
        }
    }
}
