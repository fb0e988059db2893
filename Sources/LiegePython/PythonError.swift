/// A failure of the interpreter set-up or of loading the app, with the Python traceback when there is one.
public struct PythonError: Error, Sendable, CustomStringConvertible {
    /// One line a person can act on: `cannot import module "shop.wsgi": ModuleNotFoundError: ...`.
    public var message: String
    /// The full Python traceback text ("" when the failure did not come from Python code).
    public var traceback: String

    public init(message: String, traceback: String = "") {
        self.message = message
        self.traceback = traceback
    }

    public var description: String {
        traceback.isEmpty ? message : message + "\n" + traceback
    }
}
