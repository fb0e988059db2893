/// Which callable to load, from the `module`, `wsgi-file` and `callable` settings. Pure.
public struct AppTarget: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        case module(String)
        case file(String)
    }
    public var source: Source
    /// Attribute path inside the module ("application", or "app.wsgi_app").
    public var attribute: [String]
    /// The callable was written `make()`: call it once at load and serve what it returns.
    public var callAtLoad: Bool

    /// `module = "pkg.mod:app"` or `"pkg.mod"` (attribute from `callable`); `wsgiFile` when no module.
    public static func parse(module: String?, wsgiFile: String?, callable: String) throws(PythonError) -> AppTarget {
        let source: Source
        var attribute = callable
        if let module, !module.isEmpty {
            if let colon = module.firstIndex(of: ":") {
                source = .module(String(module[..<colon]))
                attribute = String(module[module.index(after: colon)...])
            } else {
                source = .module(module)
            }
        } else if let wsgiFile, !wsgiFile.isEmpty {
            source = .file(wsgiFile)
        } else {
            throw PythonError(message: "no app to load: set module or wsgi-file")
        }
        if case .module(let name) = source, name.isEmpty || name.contains(where: { $0 == " " || $0 == "/" }) {
            throw PythonError(message: "invalid module name \"\(name)\" (expected pkg.mod or pkg.mod:callable)")
        }
        var callAtLoad = false
        if attribute.hasSuffix("()") {
            attribute.removeLast(2)
            callAtLoad = true
        }
        let path = attribute.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !attribute.isEmpty, path.allSatisfy(isIdentifier) else {
            throw PythonError(message: "invalid callable name \"\(attribute)\"")
        }
        return AppTarget(source: source, attribute: path, callAtLoad: callAtLoad)
    }

    /// "pkg.mod:app" / "app.py:make()" for messages.
    public var label: String {
        let place: String
        switch source {
        case .module(let name): place = name
        case .file(let path): place = path
        }
        return place + ":" + attribute.joined(separator: ".") + (callAtLoad ? "()" : "")
    }

    private static func isIdentifier(_ text: String) -> Bool {
        let digits: ClosedRange<Unicode.Scalar> = "0"..."9"
        guard let first = text.unicodeScalars.first, !digits.contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || digits.contains($0) }
    }
}
