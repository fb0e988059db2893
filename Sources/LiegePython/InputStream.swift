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
    private var available: Int { inputBuffer.count - inputStart }

    /// read(limit); a negative limit reads to the end of the body. A new bytes object, or nil with an error set.
    func readBytes(_ limit: Int) -> PyPointer? {
        while !inputComplete && (limit < 0 || available < limit) {
            guard fillOnce() else { return nil }
        }
        return take(limit < 0 ? available : min(limit, available))
    }

    /// readline(limit): up to and including the next b"\n", at most `limit` bytes when limit >= 0.
    func readLine(_ limit: Int) -> PyPointer? {
        var scanned = 0
        while true {
            let window = limit >= 0 ? min(available, limit) : available
            let newline: Int? = inputBuffer.withUnsafeBufferPointer { buffer in
                let start = inputStart
                guard scanned < window else { return nil }
                return buffer[(start + scanned)..<(start + window)].firstIndex(of: UInt8(ascii: "\n")).map { $0 - start }
            }
            if let newline { return take(newline + 1) }
            scanned = window
            if (limit >= 0 && available >= limit) || inputComplete { return take(window) }
            guard fillOnce() else { return nil }
        }
    }

    /// Moves `count` buffered bytes into a new bytes object.
    private func take(_ count: Int) -> PyPointer? {
        let bytes: PyPointer? = inputBuffer.withUnsafeBufferPointer { buffer in
            guard count > 0, let base = buffer.baseAddress else { return PyBytes_FromStringAndSize(nil, 0) }
            return UnsafeRawPointer(base + inputStart).withMemoryRebound(to: CChar.self, capacity: count) {
                PyBytes_FromStringAndSize($0, count)
            }
        }
        inputStart += count
        if inputStart == inputBuffer.count {
            inputBuffer.removeAll(keepingCapacity: true)
            inputStart = 0
        }
        return bytes
    }

    /// Reads one more piece of the body with the GIL released. False with OSError set when the exchange threw.
    private func fillOnce() -> Bool {
        guard !inputBusy else {
            PyErr_SetString(swpy_exc_runtime_error(), "wsgi.input read from two threads at once")
            return false
        }
        if inputStart > 0 && inputStart >= inputBuffer.count / 2 {
            inputBuffer.removeFirst(inputStart)
            inputStart = 0
        }
        let old = inputBuffer.count
        let chunk = max(65_536, min(old, 4 << 20))
        inputBuffer.append(contentsOf: repeatElement(0, count: chunk))
        inputBusy = true
        let exchange = self.exchange
        let result: Result<Int, any Error> = inputBuffer.withUnsafeMutableBytes { raw in
            let target = UnsafeMutableRawBufferPointer(rebasing: raw[old...])
            return GIL.released { Result { try exchange.readBody(into: target) } }
        }
        inputBusy = false
        switch result {
        case .success(let count):
            let read = max(0, min(count, chunk))
            inputBuffer.removeLast(chunk - read)
            if read == 0 { inputComplete = true }
            return true
        case .failure(let error):
            inputBuffer.removeLast(chunk)
            exchangeFailed = true
            PyErr_SetString(swpy_exc_os_error(), "reading the request body failed: \(error)")
            return false
        }
    }
}
