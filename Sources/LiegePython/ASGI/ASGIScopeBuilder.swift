import CPython

/// Builds each request's ASGI scope dict in one go (GIL held): interned keys, shared immutable values
/// (the common methods, versions and schemes), and a fresh dict for every request, its `asgi` and
/// `state` entries copies, since apps may change their scope.
final class ASGIScopeBuilder {
    private let keys: Keys
    private let values: Values
    private let rootPath: PyRef
    private let rawRoot: [UInt8]
    /// The app's lifespan state: each scope gets a shallow copy.
    private let state: PyRef
    /// `_liege_asgi._path`: a raw path with escapes to the decoded `path` (urllib's unquote).
    private let unquote: PyRef

    /// `state` and `unquote` are borrowed (retained here); nil with a Python error set.
    init?(state: PyPointer, rootPath: PyPointer, unquote: PyPointer) {
        guard let keys = Keys(), let values = Values() else { return nil }
        var length = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(rootPath, &length) else { return nil }
        self.keys = keys
        self.values = values
        self.rootPath = PyRef(retaining: rootPath)
        rawRoot = utf8.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
        self.state = PyRef(retaining: state)
        self.unquote = PyRef(retaining: unquote)
    }

    /// A new scope dict (`websocket`: no `method`, with `subprotocols`); nil with a Python error set.
    func scope(_ request: ASGIRequest, websocket: Bool) -> PyPointer? {
        guard let scope = PyDict_New() else { return nil }
        let rawPath = rawRoot.isEmpty ? request.rawPath : rawRoot + request.rawPath
        let filled = set(scope, keys.type, swpy_newref(websocket ? values.websocket.object : values.http.object))
            && set(scope, keys.asgi, PyDict_Copy(values.asgi.object))
            && set(scope, keys.httpVersion, values.version(request.httpVersion))
            && (websocket || set(scope, keys.method, values.method(request.method)))
            && set(scope, keys.scheme, values.scheme(request.scheme))
            && set(scope, keys.path, path(rawPath))
            && set(scope, keys.rawPath, ASGIEventObjects.bytes(rawPath))
            && set(scope, keys.queryString, ASGIEventObjects.bytes(request.query))
            && set(scope, keys.rootPath, swpy_newref(rootPath.object))
            && set(scope, keys.headers, ASGIEventObjects.headerList(request.headers))
            && set(scope, keys.client, request.client.map { ASGIEventObjects.endpoint($0.host, $0.port) }
                ?? swpy_newref_none())
            && set(scope, keys.server, request.server.map { ASGIEventObjects.endpoint($0.host, $0.port) }
                ?? swpy_newref_none())
            && set(scope, keys.state, PyDict_Copy(state.object))
            && (!websocket || set(scope, keys.subprotocols, ASGIEventObjects.stringList(request.subprotocols)))
        guard filled else {
            Py_DecRef(scope)
            return nil
        }
        return scope
    }

    /// The decoded path: latin-1 text of the bytes, through `unquote` when it holds an escape.
    private func path(_ raw: [UInt8]) -> PyPointer? {
        guard raw.contains(UInt8(ascii: "%")) else { return raw.withUnsafeBufferPointer { PyText.latin1($0) } }
        guard let bytes = ASGIEventObjects.bytes(raw) else { return nil }
        defer { Py_DecRef(bytes) }
        let arguments: [PyPointer?] = [bytes]
        return arguments.withUnsafeBufferPointer { PyObject_Vectorcall(unquote.object, $0.baseAddress, 1, nil) }
    }

    /// Stores `value` (a new reference, consumed) under `key`; false when it is nil or the store failed.
    private func set(_ dict: PyPointer, _ key: PyRef, _ value: PyPointer?) -> Bool {
        guard let value else { return false }
        defer { Py_DecRef(value) }
        return PyDict_SetItem(dict, key.object, value) == 0
    }

    private struct Keys {
        let type, asgi, httpVersion, method, scheme, path, rawPath, queryString, rootPath, headers, client, server,
            state, subprotocols: PyRef

        init?() {
            guard let type = interned("type"), let asgi = interned("asgi"), let httpVersion = interned("http_version"),
                  let method = interned("method"), let scheme = interned("scheme"), let path = interned("path"),
                  let rawPath = interned("raw_path"), let queryString = interned("query_string"),
                  let rootPath = interned("root_path"), let headers = interned("headers"),
                  let client = interned("client"), let server = interned("server"), let state = interned("state"),
                  let subprotocols = interned("subprotocols") else { return nil }
            (self.type, self.asgi, self.httpVersion, self.method, self.scheme, self.path) =
                (type, asgi, httpVersion, method, scheme, path)
            (self.rawPath, self.queryString, self.rootPath, self.headers, self.client, self.server) =
                (rawPath, queryString, rootPath, headers, client, server)
            (self.state, self.subprotocols) = (state, subprotocols)
        }
    }

    /// Immutable values most scopes share (new references handed out).
    private struct Values {
        let http, websocket, https, ws, version11, version10, asgi: PyRef
        let methods: [(name: String, object: PyRef)]

        init?() {
            guard let http = interned("http"), let websocket = interned("websocket"), let https = interned("https"),
                  let ws = interned("ws"), let version11 = interned("1.1"), let version10 = interned("1.0"),
                  let asgi = PyRef(owning: PyDict_New()) else { return nil }
            (self.http, self.websocket, self.https, self.ws, self.version11, self.version10) =
                (http, websocket, https, ws, version11, version10)
            self.asgi = asgi
            guard let version = interned("3.0"), let spec = interned("2.3"),
                  PyDict_SetItemString(asgi.object, "version", version.object) == 0,
                  PyDict_SetItemString(asgi.object, "spec_version", spec.object) == 0 else { return nil }
            var methods: [(name: String, object: PyRef)] = []
            for name in ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                guard let object = PyText.make(name).flatMap({ PyRef(owning: $0) }) else { return nil }
                methods.append((name, object))
            }
            self.methods = methods
        }

        func method(_ name: String) -> PyPointer? {
            for method in methods where method.name == name { return swpy_newref(method.object.object) }
            return PyText.make(name)
        }

        func version(_ text: String) -> PyPointer? {
            switch text {
            case "1.1": return swpy_newref(version11.object)
            case "1.0": return swpy_newref(version10.object)
            default: return PyText.make(text)
            }
        }

        func scheme(_ text: String) -> PyPointer? {
            switch text {
            case "http": return swpy_newref(http.object)
            case "https": return swpy_newref(https.object)
            case "ws": return swpy_newref(ws.object)
            default: return PyText.make(text)
            }
        }
    }
}

private func interned(_ text: StaticString) -> PyRef? {
    PyRef(owning: PyUnicode_InternFromString(UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)))
}
