import CPython

/// Preloading (`lazy-apps = false`): one process imports the app and forks the workers from it. Order in
/// the preloader, all on the main thread, which keeps the GIL from `initialize` on (never
/// `releaseMainThread`): `initialize` -> `prepareForPreload` -> `WSGIApplication.load` -> per worker
/// `freezeForFork`, `beforeFork`, fork, then `afterForkInParent` here and `afterForkInChild` in the new
/// worker, which then releases the GIL like a worker that imported the app itself. CPython's fork protocol
/// (`PyOS_BeforeFork`/`PyOS_AfterFork_*`) runs the app's `os.register_at_fork` hooks and re-initialises
/// the interpreter's locks in the child.
extension PythonRuntime {
    /// Before the app's import: the garbage collector off, so the shared pages get no holes.
    public static func prepareForPreload() throws(PythonError) {
        try callHelper("gc_before_import")
    }

    /// Before each fork: everything allocated so far moves to the collector's permanent generation.
    public static func freezeForFork() throws(PythonError) {
        try callHelper("gc_freeze")
    }

    /// Right before fork(), with the GIL held (takes the import lock, runs `before` at-fork hooks).
    public static func beforeFork() {
        PyOS_BeforeFork()
    }

    /// In the preloader after fork() (releases the import lock, runs `after_in_parent` hooks).
    public static func afterForkInParent() {
        PyOS_AfterFork_Parent()
    }

    /// First thing in a new worker after fork(): CPython's child-side re-initialisation (`after_in_child`
    /// hooks), and the garbage collector back on. The GIL stays held until `releaseMainThread`.
    public static func afterForkInChild() throws(PythonError) {
        PyOS_AfterFork_Child()
        try callHelper("gc_after_fork")
    }

    /// The app's `liege.postfork` (or `uwsgidecorators.postfork`) functions, in registration order, then
    /// `uwsgi.post_fork_hook`, in worker `workerID` before it serves (its `uwsgi.worker_id()` from now on, and
    /// its uwsgi timers start); the first one that raises stops the rest and its traceback is thrown.
    public static func runPostforkFunctions(workerID: Int) throws(PythonError) {
        UwsgiRuntime.workerID = workerID
        guard Py_IsInitialized() != 0, bridge != nil else { return }
        try GIL.holding { () throws(PythonError) in try callHelper("run_postfork") }
    }

    private static func callHelper(_ name: String) throws(PythonError) {
        let bridge = try requireBridge()
        guard let function = PyRef(owning: PyObject_GetAttrString(bridge.helpers.object, name)) else {
            throw currentError(context: "the _liege helper module has no \(name)")
        }
        defer { function.release() }
        guard let result = PyRef(owning: PyObject_CallNoArgs(function.object)) else {
            throw currentError(context: name == "run_postfork" ? "a postfork function raised" : "\(name) failed")
        }
        result.release()
    }
}
