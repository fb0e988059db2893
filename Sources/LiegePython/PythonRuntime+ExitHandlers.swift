import CPython

extension PythonRuntime {
    /// A graceful worker stop, after the last request in flight: runs the app's `atexit` functions
    /// (newest first; `logging.shutdown` is one of them, so buffered log handlers are flushed) and
    /// flushes `sys.stdout`/`sys.stderr`, with the GIL taken on the calling thread and released again.
    /// A handler that raises has its traceback printed to `sys.stderr` (the worker log) and the next
    /// one runs. Does nothing when the interpreter was never started. Call it once; a second call
    /// finds the list empty. It may block as long as a handler does: the caller bounds that.
    ///
    /// Deliberately not `Py_FinalizeEx` (uWSGI calls it, unless `skip-atexit-teardown`). Measured on this
    /// machine with CPython 3.11.2 embedded the way a worker embeds it (foreign request threads that keep
    /// their thread state, the GIL released by the main thread, joined before the stop):
    /// - an app that imports `threading` for the first time inside a request: `Py_FinalizeEx` never
    ///   returned (5 runs of 5, killed by `timeout`; gdb: blocked in `PyThread_acquire_lock_timed` under
    ///   `threading._shutdown`, whose "main thread" is then a request thread that keeps its thread state),
    ///   and the atexit functions never ran, because CPython runs them only after that wait;
    /// - an app with a non-daemon background thread (a metrics client that forgot `daemon=True`):
    ///   `Py_FinalizeEx` waits for it forever, again before any atexit function runs;
    /// - apps whose daemon threads stay busy in Python (writing to `sys.stderr`, to a buffered file, blocked
    ///   in a write to a full pipe): it returned 0 (5 runs of 5 each). Still nothing to gain: the process
    ///   ends right after, and the kernel frees its memory faster than the interpreter's teardown.
    /// So the worker runs the atexit functions itself, first, then exits with the interpreter still
    /// alive. Unlike a plain `python` exit, non-daemon threads are not joined and
    /// `threading._register_atexit` callbacks (idle `concurrent.futures` pools) do not run.
    public static func runExitHandlers() throws(PythonError) {
        guard Py_IsInitialized() != 0, let bridge else { return }
        try GIL.holding { () throws(PythonError) in
            guard let result = PyRef(owning: PyObject_CallNoArgs(bridge.runExitHandlers.object)) else {
                throw currentError(context: "the exit handlers could not be run")
            }
            result.release()
        }
    }
}
