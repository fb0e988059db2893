import CPython

/// Everything the WSGI bridge makes once per interpreter and reuses for every request: interned
/// environ keys, the constant part of `environ`, Liege's small C-level types, and the `_liege`
/// helper module. Created by `PythonRuntime.initialize`; all use happens with the GIL held, which
/// is the lock that guards `keyCache`.
final class Bridge: @unchecked Sendable {
    let helpers: PyRef
    let importModule: PyRef
    let loadFile: PyRef
    let setupPath: PyRef
    let runExitHandlers: PyRef
    let fileDescriptor: PyRef
    let fileWrapperType: PyRef
    let types: BridgeTypes
    /// `wsgi.version`, `wsgi.multithread`, `wsgi.multiprocess`, `wsgi.run_once`, `wsgi.file_wrapper` (unless
    /// disabled), `wsgi.input_terminated`: copied for each request.
    let environTemplate: PyRef
    let inputKey: PyRef
    let errorsKey: PyRef
    let schemeKey: PyRef
    let http: PyRef
    let https: PyRef
    let closeName: PyRef
    let emptyString: PyRef
    private var keyCache: [String: PyRef] = [:]
    /// The request each Python thread state is running (`uwsgi.set_logvar`, `uwsgi.request_id`), and how many
    /// requests this process has started (GIL-guarded, like `keyCache`).
    var activeRequests: [UnsafeMutableRawPointer: RequestContext] = [:]
    var requestsStarted = 0
    /// The key used at each position of the last request's variable list: workers send the CGI
    /// variables in a stable order, so most lookups are one string comparison, not a hash.
    private var positionalKeys: [(name: String, key: PyRef)] = []
    private static let positionalLimit = 64
    private static let keyCacheLimit = 512

    /// Builds the bridge; GIL held. Throws with the Python traceback if the helper module fails.
    init(multithread: Bool, fileWrapper: Bool = true) throws(PythonError) {
        let helpers = try Bridge.compileHelpers()
        func attribute(_ name: String) throws(PythonError) -> PyRef {
            guard let ref = PyRef(owning: PyObject_GetAttrString(helpers.object, name)) else {
                throw PythonRuntime.currentError(context: "the _liege helper module has no \(name)")
            }
            return ref
        }
        func interned(_ text: StaticString) throws(PythonError) -> PyRef {
            let raw = UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
            guard let ref = PyRef(owning: PyUnicode_InternFromString(raw)) else {
                throw PythonRuntime.currentError(context: "cannot create the Python string \(text)")
            }
            return ref
        }
        self.helpers = helpers
        importModule = try attribute("import_module")
        loadFile = try attribute("load_file")
        setupPath = try attribute("setup_path")
        runExitHandlers = try attribute("run_exit_handlers")
        fileDescriptor = try attribute("file_descriptor")
        fileWrapperType = try attribute("FileWrapper")
        types = try BridgeTypes()
        inputKey = try interned("wsgi.input")
        errorsKey = try interned("wsgi.errors")
        schemeKey = try interned("wsgi.url_scheme")
        http = try interned("http")
        https = try interned("https")
        closeName = try interned("close")
        emptyString = try interned("")
        guard let template = PyRef(owning: PyDict_New()) else {
            throw PythonRuntime.currentError(context: "cannot create the environ template")
        }
        environTemplate = template
        guard let version = PyRef(owning: PyTuple_New(2)) else {
            throw PythonRuntime.currentError(context: "cannot create wsgi.version")
        }
        swpy_tuple_set(version.object, 0, PyLong_FromLong(1))
        swpy_tuple_set(version.object, 1, PyLong_FromLong(0))
        var constants: [(StaticString, PyPointer)] = [
            ("wsgi.version", version.object),
            ("wsgi.multithread", multithread ? swpy_true() : swpy_false()),
            ("wsgi.multiprocess", swpy_true()),
            ("wsgi.run_once", swpy_false()),
            ("wsgi.input_terminated", swpy_true()),
        ]
        if fileWrapper { constants.append(("wsgi.file_wrapper", fileWrapperType.object)) }
        for (name, value) in constants {
            let key = try interned(name)
            defer { key.release() }
            guard PyDict_SetItem(template.object, key.object, value) == 0 else {
                throw PythonRuntime.currentError(context: "cannot build the environ template")
            }
        }
        version.release()
    }

    /// The interned Python key for the environ name at `position` of a request (cached; GIL held).
    /// Returns a new reference.
    @inline(__always)
    func key(_ name: String, at position: Int) -> PyPointer? {
        if position < positionalKeys.count, positionalKeys[position].name == name {
            return swpy_newref(positionalKeys[position].key.object)
        }
        guard let key = key(name) else { return nil }
        if position < positionalKeys.count {
            positionalKeys[position].key.release()
            positionalKeys[position] = (name, PyRef(retaining: key))
        } else if position == positionalKeys.count, position < Bridge.positionalLimit {
            positionalKeys.append((name, PyRef(retaining: key)))
        }
        return key
    }

    /// The interned Python key for an environ name (cached; GIL held). Returns a new reference.
    func key(_ name: String) -> PyPointer? {
        if let cached = keyCache[name] {
            return swpy_newref(cached.object)
        }
        var copy = name
        let made = copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyUnicode_DecodeLatin1($0.baseAddress, utf8.count, nil) }
        }
        guard var key = made else { return nil }
        var pointer: PyPointer? = key
        PyUnicode_InternInPlace(&pointer)
        if let pointer { key = pointer }
        if keyCache.count < Bridge.keyCacheLimit {
            keyCache[name] = PyRef(owning: swpy_newref(key))
        }
        return key
    }

    /// Compiles `HelperModule.source` into the module `_liege` (registered in sys.modules).
    private static func compileHelpers() throws(PythonError) -> PyRef {
        guard let code = PyRef(owning: Py_CompileString(HelperModule.source, "<liege>", swpy_file_input())) else {
            throw PythonRuntime.currentError(context: "cannot compile the _liege helper module")
        }
        defer { code.release() }
        guard let module = PyRef(owning: PyImport_ExecCodeModule(HelperModule.name, code.object)) else {
            throw PythonRuntime.currentError(context: "cannot run the _liege helper module")
        }
        return module
    }
}
