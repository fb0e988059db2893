import CPython

/// The embedded interpreter of one worker process.
public enum PythonRuntime {
    public static var version: String { String(cString: Py_GetVersion()) }
}
