import CPython

/// The `uwsgi` module's state in this process: the facts and services the worker side provides before
/// Python starts, and the worker id, set when a worker is about to serve (a forked worker learns it then).
/// Written before other threads use Python, or with the GIL held; read with the GIL held.
public enum UwsgiRuntime {
    nonisolated(unsafe) static var facts: UwsgiFacts?
    nonisolated(unsafe) static var services: UwsgiServices?
    nonisolated(unsafe) static var workerID = 0
    /// Cache names the app asked for that do not exist (logged once each).
    nonisolated(unsafe) static var missingCaches: Set<String> = []

    /// Makes `import uwsgi` (and the full `uwsgidecorators`) work in this process. Call before
    /// `PythonRuntime.initialize`; without it `import uwsgi` fails, as it does outside Liege.
    public static func provide(_ facts: UwsgiFacts, services: UwsgiServices) {
        self.facts = facts
        self.services = services
    }

    /// Hands the sources, the facts and the native object to `_liege` (at interpreter start).
    static func install(into helpers: PyRef) throws(PythonError) {
        guard let facts else { return }
        let source = UwsgiModuleSource.source + UwsgiSignalsSource.source + UwsgiSpoolSource.source
        let native = try UwsgiNative.makeObject()
        defer { native.release() }
        guard let factsObject = PyRef(owning: makeFacts(facts)) else {
            throw PythonRuntime.currentError(context: "cannot build the uwsgi module's facts")
        }
        defer { factsObject.release() }
        let values: [(String, PyPointer?)] = [
            ("_uwsgi_source", PyText.make(source)), ("_uwsgidecorators_source", PyText.make(UwsgiDecoratorsSource.source)),
            ("_uwsgi_native", swpy_newref(native.object)), ("_uwsgi_facts", swpy_newref(factsObject.object)),
        ]
        for (name, value) in values {
            guard let value else { throw PythonRuntime.currentError(context: "cannot prepare the uwsgi module") }
            defer { Py_DecRef(value) }
            guard PyObject_SetAttrString(helpers.object, name, value) == 0 else {
                throw PythonRuntime.currentError(context: "cannot prepare the uwsgi module")
            }
        }
    }

    private static func makeFacts(_ facts: UwsgiFacts) -> PyPointer? {
        guard let dictionary = PyDict_New() else { return nil }
        let role: String
        var spoolerID = 0
        switch facts.role {
        case .worker: role = "worker"
        case .preloader: role = "preloader"
        case .spooler(let id):
            role = "spooler"
            spoolerID = id
        }
        let options = PyList_New(0)
        for (key, value) in facts.options {
            guard let options, let pair = PyTuple_New(2) else { continue }
            swpy_tuple_set(pair, 0, PyText.make(key))
            swpy_tuple_set(pair, 1, PyText.make(value))
            PyList_Append(options, pair)
            Py_DecRef(pair)
        }
        let spoolers = PyList_New(0)
        for directory in facts.spoolers {
            guard let spoolers, let text = PyText.make(directory) else { continue }
            PyList_Append(spoolers, text)
            Py_DecRef(text)
        }
        let versionInfo = PyTuple_New(5)
        let numbers = facts.version.split(whereSeparator: { !$0.isNumber }).prefix(4).map { Int($0) ?? 0 }
        if let versionInfo {
            for index in 0..<4 { swpy_tuple_set(versionInfo, index, PyLong_FromLong(index < numbers.count ? numbers[index] : 0)) }
            swpy_tuple_set(versionInfo, 4, PyText.make("liege"))
        }
        let entries: [(String, PyPointer?)] = [
            ("options", options), ("spoolers", spoolers), ("version_info", versionInfo),
            ("numproc", PyLong_FromLong(facts.processes)), ("cores", PyLong_FromLong(facts.threads)),
            ("buffer_size", PyLong_FromLong(facts.bufferSize)), ("started_on", PyLong_FromLong(facts.startedOn)),
            ("masterpid", PyLong_FromLong(Int(facts.masterPID))), ("hostname", bytes(facts.hostname)),
            ("version", bytes(facts.version)), ("role", PyText.make(role)), ("spooler_id", PyLong_FromLong(spoolerID)),
        ]
        var complete = true
        for (key, value) in entries {
            guard let value else {
                complete = false
                continue
            }
            if PyDict_SetItemString(dictionary, key, value) != 0 { complete = false }
            Py_DecRef(value)
        }
        guard complete else {
            Py_DecRef(dictionary)
            return nil
        }
        return dictionary
    }

    static func bytes(_ text: String) -> PyPointer? {
        var copy = text
        return copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, utf8.count) }
        }
    }
}
