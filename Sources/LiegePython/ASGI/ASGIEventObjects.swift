import CPython

/// Python objects to and from the ASGI bridge's Swift values. GIL held throughout.
enum ASGIEventObjects {
    /// The tuple `_liege_asgi.Server.on_events` reads for one event (a new reference): (1, id) a poke,
    /// (3,) the stop, (0 or 2, id, scope) a new HTTP request or WebSocket.
    static func make(_ event: ASGIEvent, scopes: ASGIScopeBuilder) -> PyPointer? {
        switch event {
        case .poke(let id):
            return tuple(PyLong_FromLong(1), PyLong_FromLong(id), count: 2)
        case .stop:
            return tuple(PyLong_FromLong(3), count: 1)
        case .http(let id, let request):
            return tuple(PyLong_FromLong(0), PyLong_FromLong(id), scopes.scope(request, websocket: false), count: 3)
        case .websocket(let id, let request):
            return tuple(PyLong_FromLong(2), PyLong_FromLong(id), scopes.scope(request, websocket: true), count: 3)
        }
    }

    /// A tuple that takes over its items (up to three); nil (and every item released) if any is nil.
    private static func tuple(_ first: PyPointer?, _ second: PyPointer? = nil, _ third: PyPointer? = nil,
                              count: Int) -> PyPointer? {
        guard first != nil, count < 2 || second != nil, count < 3 || third != nil,
              let tuple = PyTuple_New(count) else {
            for item in [first, second, third] { if let item { Py_DecRef(item) } }
            return nil
        }
        if let first { swpy_tuple_set(tuple, 0, first) }
        if count > 1, let second { swpy_tuple_set(tuple, 1, second) }
        if count > 2, let third { swpy_tuple_set(tuple, 2, third) }
        return tuple
    }

    static func bytes(_ value: [UInt8]) -> PyPointer? {
        value.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, $0.count) }
        }
    }

    static func headerList(_ headers: [(name: [UInt8], value: [UInt8])]) -> PyPointer? {
        guard let list = PyList_New(headers.count) else { return nil }
        for (index, header) in headers.enumerated() {
            guard let pair = tuple(bytes(header.name), bytes(header.value), count: 2) else {
                Py_DecRef(list)
                return nil
            }
            PyList_SetItem(list, index, pair)
        }
        return list
    }

    static func stringList(_ values: [String]) -> PyPointer? {
        guard let list = PyList_New(values.count) else { return nil }
        for (index, value) in values.enumerated() {
            guard let text = PyText.make(value) else {
                Py_DecRef(list)
                return nil
            }
            PyList_SetItem(list, index, text)
        }
        return list
    }

    static func endpoint(_ host: String, _ port: Int?) -> PyPointer? {
        tuple(PyText.make(host), port.map { PyLong_FromLong($0) } ?? swpy_newref_none(), count: 2)
    }

    /// An ASGI header iterable (pairs of bytes) as Swift values; nil with a Python error set.
    static func headerPairs(_ object: PyPointer) -> [(name: [UInt8], value: [UInt8])]? {
        guard let sequence = PySequence_Fast(object, "ASGI: headers must be an iterable of [name, value] pairs") else {
            return nil
        }
        defer { Py_DecRef(sequence) }
        let count = swpy_fast_size(sequence)
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        pairs.reserveCapacity(count)
        for index in 0..<count {
            guard let item = swpy_fast_item(sequence, index) else { return nil }
            guard let pair = PySequence_Fast(item, "ASGI: each header must be a [name, value] pair") else { return nil }
            defer { Py_DecRef(pair) }
            guard swpy_fast_size(pair) == 2, let name = swpy_fast_item(pair, 0), let value = swpy_fast_item(pair, 1),
                  swpy_bytes_check(name) != 0, swpy_bytes_check(value) != 0 else {
                _ = PyText.raise(swpy_exc_type_error(), "ASGI: each header must be a pair of bytes")
                return nil
            }
            pairs.append((contents(name), contents(value)))
        }
        return pairs
    }

    private static func contents(_ bytesObject: PyPointer) -> [UInt8] {
        let size = swpy_bytes_size(bytesObject)
        return Array(UnsafeRawBufferPointer(start: swpy_bytes_data(bytesObject), count: size))
    }
}
