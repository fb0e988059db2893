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
    /// machine (CPython 3.11.2), in the liege binary with a temporary `Py_FinalizeEx` in place of this call
    /// (SIGTERM to the master, `reload-mercy = 8`) and in a C harness embedding Python the same way:
    /// - `threads = 4`, an app that imports `threading` for the first time inside a request:
    ///   `Py_FinalizeEx` never returned; the master's SIGKILL ended it after 8 s, and the atexit functions
    ///   never ran, because CPython runs them only after `threading._shutdown`, which blocks (gdb:
    ///   `PyThread_acquire_lock_timed`) as its "main thread" is then a request thread that keeps its thread
    ///   state. With `threads = 1` (requests on the main thread) the same app finalised in milliseconds;
    /// - an app with a non-daemon background thread (a metrics client that forgot `daemon=True`): the same
    ///   hang, killed after 8 s, no atexit function run;
    /// - daemon threads busy in Python (`sys.stderr` writes, a buffered write blocked on a full pipe):
    ///   finalisation returned 0 every time (8 runs). Nothing to gain there either: the process ends right
    ///   after, and the kernel frees its memory faster than the interpreter's teardown.
    /// With this call instead, all three ran their handlers and exited within 0.04 s.
    /// So the worker runs the atexit functions itself, then exits with the interpreter still alive.
    /// Unlike a plain `python` exit, non-daemon threads are not joined and `threading._register_atexit`
    /// callbacks (idle `concurrent.futures` pools) do not run.
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
