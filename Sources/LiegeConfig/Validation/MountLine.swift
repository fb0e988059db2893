/// One `mount` value in uWSGI's form `PREFIX=APP`: the URL prefix an app answers under, and the app —
/// a Python file (`.py`, `.wsgi`) loaded like `wsgi-file`, or a module (`pkg.mod:callable`, `pkg.mod`)
/// imported like `module`.
public struct MountLine: Sendable, Equatable {
    public enum App: Sendable, Equatable {
        case file(String)
        case module(String)
    }

    /// The prefix without its trailing slash ("/shop"); "" is the root (written `/` or nothing).
    public var prefix: String
    public var app: App

    public init(prefix: String, app: App) {
        self.prefix = prefix
        self.app = app
    }

    /// A validated value (nil cannot happen after loading: the check refused it).
    public static func parse(_ text: String) -> MountLine? {
        try? parsed(text).get()
    }

    /// What is wrong with a value, nil when it is fine.
    static func problem(_ text: String) -> String? {
        if case .failure(let error) = parsed(text) { return error.message }
        return nil
    }

    /// The prefix as apps are matched by it: trailing slashes dropped, so `/shop/` and `/shop` are one
    /// mount point and `/` is the root ("").
    public static func normalized(prefix: String) -> String {
        var prefix = Substring(prefix)
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return String(prefix)
    }

    static func parsed(_ text: String) -> Result<MountLine, ValueError> {
        let value = IniReader.trim(text)
        guard let equals = value.firstIndex(of: "=") else {
            return .failure(ValueError("expected PREFIX=APP (for example /shop=shop/wsgi.py or /api=api.main:app)"))
        }
        let rawPrefix = IniReader.trim(value[..<equals])
        let target = IniReader.trim(value[value.index(after: equals)...])
        guard rawPrefix.isEmpty || rawPrefix.hasPrefix("/") else {
            return .failure(ValueError("the mount point \(Quoted.text(rawPrefix)) must be a URL path starting with \"/\" "
                                       + "(mounting by host name is not supported: run one vassal per host)"))
        }
        guard !target.isEmpty else { return .failure(ValueError("no app after \"=\" (a .py or .wsgi file, or pkg.mod:callable)")) }
        let prefix = normalized(prefix: rawPrefix)
        if target.hasSuffix(".py") || target.hasSuffix(".wsgi") {
            return .success(MountLine(prefix: prefix, app: .file(target)))
        }
        if target.hasSuffix(".ini") {
            return .failure(ValueError("PasteDeploy .ini apps are not supported: mount the WSGI callable instead (pkg.mod:callable)"))
        }
        let module = target.prefix { $0 != ":" }
        guard !module.isEmpty, !module.contains(where: { $0 == "/" || $0 == " " || $0 == "\t" }) else {
            return .failure(ValueError("\(Quoted.text(target)) is neither a .py or .wsgi file nor a module (pkg.mod or pkg.mod:callable)"))
        }
        return .success(MountLine(prefix: prefix, app: .module(target)))
    }
}
