import CPython

/// A loaded ASGI callable (`asgi = pkg.mod:application`); imported like a WSGI app (`AppTarget`),
/// with `chdir`, `pythonpath` and `virtualenv` already applied by the runtime.
public final class ASGIApplication: @unchecked Sendable {
    public let label: String
    let callable: PyRef

    private init(label: String, callable: PyRef) {
        self.label = label
        self.callable = callable
    }

    /// `spec` is "pkg.mod:callable" or "pkg.mod" (then `callable` names it); errors carry the traceback.
    public static func load(_ spec: String, callable: String = "application") throws(PythonError) -> ASGIApplication {
        let bridge = try PythonRuntime.requireBridge()
        let target = try AppTarget.parse(module: spec, wsgiFile: nil, callable: callable)
        return try GIL.holding { () throws(PythonError) -> ASGIApplication in
            let object = try WSGIApplication.resolve(target, bridge: bridge)
            return ASGIApplication(label: target.label, callable: object)
        }
    }
}
