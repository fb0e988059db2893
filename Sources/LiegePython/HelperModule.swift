/// The parts of the bridge that are not on the per-request hot path, written in Python and
/// compiled once at interpreter start as the module `_liege`: the `wsgi.file_wrapper` class,
/// loading a `wsgi-file`, the `sys.path` set-up (glob expansion), the exit handlers of a graceful stop,
/// and preloading's pieces: the garbage collector around fork and the app's `postfork` functions, which
/// the app registers through `import liege` (or `uwsgidecorators`, for code written for uWSGI), and the
/// finder that makes `import uwsgi` give the module of Uwsgi/ (UwsgiRuntime).
enum HelperModule {
    static let name = "_liege"

    static let source = """
    # Cheap imports only (start-up has loaded most of them): `glob` (which pulls in `re`, `enum`...) and
    # `importlib.util` cost about 10 ms per worker start, so they are imported where they are needed.
    import importlib as _importlib
    import os as _os
    import stat as _stat
    import sys as _sys


    class FileWrapper:
        \"\"\"wsgi.file_wrapper: iterates `filelike` in blocks; the server may use sendfile instead.\"\"\"

        def __init__(self, filelike, blksize=8192):
            self.filelike = filelike
            self.blksize = blksize
            if hasattr(filelike, 'close'):
                self.close = filelike.close

        def __iter__(self):
            return self

        def __next__(self):
            data = self.filelike.read(self.blksize)
            if data:
                return data
            raise StopIteration


    def file_descriptor(wrapper):
        \"\"\"(fd, offset, bytes left) when the wrapped file can go out with sendfile, else None.\"\"\"
        filelike = wrapper.filelike
        try:
            fd = filelike.fileno()
            offset = filelike.tell()
            st = _os.fstat(fd)
        except Exception:
            return None
        if not isinstance(fd, int) or not _stat.S_ISREG(st.st_mode):
            return None
        return (fd, offset, max(st.st_size - offset, 0))


    def import_module(name):
        # A retried import (need-app = false) must see files created since the last attempt.
        _importlib.invalidate_caches()
        return _importlib.import_module(name)


    def load_file(path):
        name = 'liege_file_' + ''.join(c if c.isalnum() else '_' for c in path)
        import importlib.machinery as _importlib_machinery
        import importlib.util as _importlib_util
        # A loader of its own, so a .wsgi file (not a suffix importlib knows) loads like a .py one.
        loader = _importlib_machinery.SourceFileLoader(name, path)
        spec = _importlib_util.spec_from_file_location(name, path, loader=loader)
        if spec is None or spec.loader is None:
            raise ImportError('cannot load %r as a Python module' % (path,))
        module = _importlib_util.module_from_spec(spec)
        _sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            _sys.modules.pop(name, None)
            raise
        return module


    def run_exit_handlers():
        # A graceful worker stop: the app's atexit functions, newest first (logging.shutdown among them).
        # atexit prints a failing handler's traceback to sys.stderr (the worker log) and goes on with
        # the next one; the list is emptied, so a second call runs nothing.
        import atexit
        atexit._run_exitfuncs()
        for stream in (_sys.stdout, _sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except Exception:
                pass


    # liege.postfork: functions run in each worker before it serves (after its fork from the preloader with
    # lazy-apps = false, after its own import otherwise), in the order they were registered.
    _postfork_functions = []


    def postfork(function):
        \"\"\"Decorator: call `function()` in each worker before it serves its first request (after its fork from
        the preloader with lazy-apps = false): reopen database connections, sockets, start threads.\"\"\"
        _postfork_functions.append(function)
        return function


    def run_postfork():
        for function in list(_postfork_functions):
            function()
        uwsgi = _sys.modules.get('uwsgi')
        if uwsgi is not None and getattr(uwsgi, '_native', None) is _uwsgi_native:
            if uwsgi.post_fork_hook is not None:
                uwsgi.post_fork_hook()
            uwsgi._start_serving()


    def gc_before_import():
        # Preloader: no collection while the app is imported, so the pages the workers share later have
        # no holes in them (the gc module's advice for fork without exec).
        import gc
        gc.disable()


    def gc_freeze():
        # Preloader, before each fork: every object so far goes to the permanent generation, so a worker's
        # collections never write to (and copy) the shared pages.
        import gc
        gc.freeze()


    def gc_after_fork():
        import gc
        gc.enable()


    # Set by Swift (UwsgiRuntime.install) in a Liege worker, preloader or spooler: the `uwsgi` module's pieces.
    _uwsgi_source = None
    _uwsgidecorators_source = None
    _uwsgi_native = None
    _uwsgi_facts = None


    class _PublicModules:
        \"\"\"Last on sys.meta_path: `import liege` and `import uwsgidecorators` when the app's path has no module
        of that name (uwsgidecorators is postfork only where the uwsgi module is not available).\"\"\"

        def find_spec(self, name, path=None, target=None):
            if path is not None or name not in ('liege', 'uwsgidecorators'):
                return None
            import importlib.machinery
            return importlib.machinery.ModuleSpec(name, self, origin='liege')

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            if module.__name__ == 'uwsgidecorators' and _uwsgidecorators_source is not None:
                exec(compile(_uwsgidecorators_source, '<liege uwsgidecorators>', 'exec'), module.__dict__)
            else:
                module.postfork = postfork


    class _UwsgiModule:
        \"\"\"First on sys.meta_path: `import uwsgi` gets Liege's module wherever it runs as uWSGI's built-in one
        does (a `uwsgi/` folder of config files on the path cannot shadow it); outside Liege it stays an
        ImportError, which is how apps tell.\"\"\"

        def find_spec(self, name, path=None, target=None):
            if name != 'uwsgi' or path is not None or _uwsgi_source is None:
                return None
            import importlib.machinery
            return importlib.machinery.ModuleSpec(name, self, origin='liege')

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            module._native = _uwsgi_native
            module._facts = _uwsgi_facts
            exec(compile(_uwsgi_source, '<liege uwsgi>', 'exec'), module.__dict__)


    _sys.meta_path.append(_PublicModules())
    _sys.meta_path.insert(0, _UwsgiModule())


    def setup_path(entries, working_directory):
        expanded = []
        for entry in entries:
            if any(c in entry for c in '*?['):   # glob.has_magic, without importing glob for plain paths
                import glob as _glob
                expanded.extend(sorted(_glob.glob(entry)))
            else:
                expanded.append(entry)
        expanded.append(working_directory)
        _sys.path[0:0] = expanded
    """
}
