import CPython

/// `_native.cache(op, name, key, value, number)`: every `uwsgi.cache_*` function in one C-level call, the
/// cache work done with the GIL released. Answers as uWSGI does: True or None, bytes or None, a list, an int.
enum UwsgiCacheCall {
    enum Operation: Int {
        case get, set, update, delete, exists, clear, keys, increment, decrement, multiply, divide, number
    }

    static let call: FastFunction = { _, arguments, count in
        guard count == 5, let arguments, let opObject = arguments[0], let nameObject = arguments[1],
              let code = UwsgiNative.integer(opObject), let operation = Operation(rawValue: code) else {
            return PyText.raise(swpy_exc_type_error(), "cache(op, name, key, value, number)")
        }
        let name = swpy_is_none(nameObject) != 0 ? nil : PyText.string(nameObject)
        guard let services = UwsgiNative.services else { return nil }
        guard let cache = GIL.released({ services.cache(named: name) }) else { return missing(name, operation) }
        let number: Int64
        if let numberObject = arguments[4] {
            number = Int64(PyLong_AsLongLong(numberObject))
            if PyErr_Occurred() != nil { return nil }
        } else {
            number = 0
        }
        return withBytes(arguments[2]) { key in
            withBytes(arguments[3]) { value in run(operation, cache: cache, key: key, value: value, number: number) }
        }
    }

    private static func run(_ operation: Operation, cache: UwsgiCache, key: UnsafeRawBufferPointer,
                            value: UnsafeRawBufferPointer, number: Int64) -> PyPointer? {
        switch operation {
        case .get:
            guard let found = GIL.released({ cache.get(key) }) else { return swpy_newref_none() }
            return found.withUnsafeBytes { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, bytes.count) }
            }
        case .exists:
            return answer(GIL.released { cache.exists(key) })
        case .set, .update:
            let update = operation == .update
            return answer(GIL.released { cache.set(key, value, expires: number, update: update) })
        case .delete:
            return answer(GIL.released { cache.delete(key) })
        case .clear:
            GIL.released { cache.clear() }
            return swpy_newref_bool(1)
        case .keys:
            let keys = GIL.released { cache.keys() }
            guard let list = PyList_New(keys.count) else { return nil }
            for (index, key) in keys.enumerated() {
                let item = key.withUnsafeBytes { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, bytes.count) }
                }
                PyList_SetItem(list, index, item)
            }
            return list
        case .number:
            guard let found = GIL.released({ cache.get(key) }), found.count == 8 else { return PyLong_FromLong(0) }
            return PyLong_FromLongLong(found.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
        case .increment, .decrement, .multiply, .divide:
            guard value.count == 8 else { return PyText.raise(swpy_exc_value_error(), "the operand must be 8 bytes") }
            let operand = value.loadUnaligned(as: Int64.self)
            let expires = number
            return answer(GIL.released {
                cache.updateNumber(key, expires: expires) { current in
                    switch operation {
                    case .increment: return current &+ operand
                    case .decrement: return current &- operand
                    case .multiply: return current &* operand
                    default: return operand == 0 ? nil : current / operand
                    }
                }
            })
        }
    }

    /// True, or None for false (uWSGI's answers).
    private static func answer(_ done: Bool) -> PyPointer? {
        done ? swpy_newref_bool(1) : swpy_newref_none()
    }

    /// No such cache: uWSGI answers None (keys raises); Liege also logs the name once.
    private static func missing(_ name: String?, _ operation: Operation) -> PyPointer? {
        let label = name ?? "(default)"
        if !UwsgiRuntime.missingCaches.contains(label) {
            UwsgiRuntime.missingCaches.insert(label)
            let text = name.map { "uwsgi cache \"\($0)\": no cache2 has this name\n" }
                ?? "uwsgi cache functions: no cache is configured (cache2 = name=NAME,items=N)\n"
            if let stderr = PySys_GetObject("stderr"), PyFile_WriteString(text, stderr) != 0 { PyErr_Clear() }
        }
        if operation == .keys { return PyText.raise(swpy_exc_value_error(), "no local uWSGI cache available") }
        if operation == .number { return PyLong_FromLong(0) }
        return swpy_newref_none()
    }

    private static func withBytes(_ object: PyPointer?, _ body: (UnsafeRawBufferPointer) -> PyPointer?) -> PyPointer? {
        guard let object, swpy_is_none(object) == 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard swpy_bytes_check(object) != 0 else { return PyText.raise(swpy_exc_type_error(), "expected bytes") }
        return body(UnsafeRawBufferPointer(start: swpy_bytes_data(object), count: swpy_bytes_size(object)))
    }
}
