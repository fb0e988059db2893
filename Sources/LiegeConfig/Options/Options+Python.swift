extension OptionRegistry {
    /// Which app to load, and the interpreter around it.
    static let pythonOptions: [OptionSpec] = [
        OptionSpec("module", aliases: ["wsgi"], type: .string, help: "WSGI module to import (`pkg.mod` or `pkg.mod:callable`)"),
        OptionSpec("wsgi-file", aliases: ["file"], type: .path, help: "Python file that defines the WSGI callable"),
        OptionSpec("callable", type: .string, default: "application", help: "name of the WSGI callable"),
        OptionSpec("chdir", type: .path, help: "change to this directory before loading the app"),
        OptionSpec("virtualenv", aliases: ["venv", "home", "pyhome"], type: .path, help: "virtualenv of the app"),
        OptionSpec("pythonpath", aliases: ["python-path", "pp"], type: .path, repeatable: true,
                   help: "add a directory to sys.path"),
        OptionSpec("env", type: .keyValue, repeatable: true, help: "set an environment variable `K=V`"),
        OptionSpec("unenv", type: .string, repeatable: true, help: "remove an environment variable"),
        OptionSpec("add-header", type: .string, repeatable: true, help: "add `Name: value` to every response",
                   parser: OptionParser(HeaderLine.parse)),
        OptionSpec("need-app", type: .bool, default: "true", help: "fail the start when the app cannot be imported"),
        OptionSpec("threads", type: .int, default: "1", help: "threads per worker", range: 1...1024),
        OptionSpec("enable-threads", type: .bool, help: "accepted for compatibility; no effect (threads always work)"),
        OptionSpec("lazy-apps", type: .bool, default: "true",
                   help: "each worker imports the app itself; `false`: one preloader imports it and forks the workers (copy-on-write)"),
        OptionSpec("single-interpreter", type: .bool, help: "accepted for compatibility; no effect"),
        OptionSpec("skip-atexit", type: .bool, help: "a worker stopping gracefully does not run the app's atexit handlers"),
        OptionSpec("skip-atexit-teardown", type: .bool,
                   help: "accepted for compatibility; always so (workers never tear the interpreter down)"),
    ]
}

/// One `add-header` value: `Name: value`.
public struct HeaderLine: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    static func parse(_ text: String) -> Result<HeaderLine, ValueError> {
        guard let colon = text.firstIndex(of: ":"), case let name = IniReader.trim(text[..<colon]), !name.isEmpty else {
            return .failure(ValueError("expects \"Name: value\", got \(Quoted.text(text))"))
        }
        return .success(HeaderLine(name: name, value: IniReader.trim(text[text.index(after: colon)...])))
    }
}

// The typed keys of these options.
extension Option where Value == String? {
    public static var module: Self { .init(optional: "module") }
    public static var wsgiFile: Self { .init(optional: "wsgi-file") }
    public static var chdir: Self { .init(optional: "chdir") }
    public static var virtualenv: Self { .init(optional: "virtualenv") }
}

extension Option where Value == String {
    public static var callable: Self { .init("callable") }
}

extension Option where Value == [String] {
    public static var pythonpath: Self { .init(list: "pythonpath") }
    public static var unenv: Self { .init(list: "unenv") }
}

extension Option where Value == [KeyValue] {
    public static var env: Self { .init(list: "env") }
}

extension Option where Value == [HeaderLine] {
    public static var addHeader: Self { .init(list: "add-header") }
}

extension Option where Value == Bool {
    public static var needApp: Self { .init("need-app") }
    public static var lazyApps: Self { .init("lazy-apps") }
    public static var skipAtexit: Self { .init("skip-atexit") }
}

extension Option where Value == Int {
    public static var threads: Self { .init("threads") }
}
