/// How the worker's interpreter is set up (SPEC.md §3).
public struct PythonSettings: Sendable {
    /// `virtualenv` / `home`: a PEP 405 venv (has `pyvenv.cfg`) or a Python prefix.
    public var virtualenv: String?
    /// `pythonpath` entries, in order; glob patterns are expanded (sorted matches).
    public var pythonpath: [String]
    /// The directory the app runs in (after `chdir`); it comes after `pythonpath` on `sys.path`.
    public var workingDirectory: String
    /// The program name CPython derives its prefix from when no venv is set:
    /// the liege binary or `/usr/bin/python3` (never left to `$PATH`, PLATFORM.md P2).
    public var programName: String
    /// Threads per worker; `wsgi.multithread` is true when above 1.
    public var threads: Int
    /// `wsgi.file_wrapper` is in the environ (`wsgi-disable-file-wrapper` turns it off).
    public var fileWrapper: Bool

    public init(virtualenv: String? = nil, pythonpath: [String] = [], workingDirectory: String,
                programName: String, threads: Int = 1, fileWrapper: Bool = true) {
        self.virtualenv = virtualenv
        self.pythonpath = pythonpath
        self.workingDirectory = workingDirectory
        self.programName = programName
        self.threads = threads
        self.fileWrapper = fileWrapper
    }
}
