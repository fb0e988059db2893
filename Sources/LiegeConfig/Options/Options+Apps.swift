extension OptionRegistry {
    /// Several apps per vassal under URL prefixes, and what each app sees of a request.
    static let appOptions: [OptionSpec] = [
        OptionSpec("mount", type: .string, repeatable: true,
                   help: "serve another app under a URL prefix: `PREFIX=APP`, APP a `.py`/`.wsgi` file or `pkg.mod[:callable]` "
                       + "(each worker loads every mounted app; the longest matching prefix wins)",
                   parser: OptionParser(MountLine.parsed)),
        OptionSpec("manage-script-name", type: .bool,
                   help: "choose the app by the longest mount prefix of the path: SCRIPT_NAME becomes the prefix, PATH_INFO "
                       + "the rest (without it the app is the one whose prefix equals the SCRIPT_NAME the request brought)"),
        OptionSpec("no-default-app", type: .bool,
                   help: "a request whose SCRIPT_NAME matches no mount gets 500 instead of the root app (`module`, `wsgi-file` or `/`)"),
        OptionSpec("post-buffering", type: .bytes, default: "0",
                   help: "read the whole request body before the app runs: in memory up to this size, in a temporary file "
                       + "($TMPDIR or /tmp) beyond (0: the app reads the body as it arrives)"),
        OptionSpec("post-buffering-bufsize", type: .bytes,
                   help: "accepted for compatibility; no effect (the worker's event loop reads whatever the socket holds)"),
        OptionSpec("wsgi-disable-file-wrapper", type: .bool, help: "leave `wsgi.file_wrapper` out of the environ"),
    ]

    /// Two mounts on one prefix, or a root mount beside `module` / `wsgi-file`, would make one app unreachable;
    /// mounts do not go with an ASGI app.
    static func mountRelations(_ entries: [ConfigEntry]) -> [(option: String, message: String)] {
        var seen: Set<String> = []
        if entries.contains(where: { ($0.key == "module" || $0.key == "wsgi-file") && !$0.value.isEmpty }) { seen.insert("") }
        var problems: [(option: String, message: String)] = []
        if entries.contains(where: { $0.key == "asgi" }), entries.contains(where: { $0.key == "mount" }) {
            problems.append(("mount", "\"mount\" serves WSGI apps beside the default one; with \"asgi\" the ASGI app is the "
                             + "only app (route its paths inside it, or run the WSGI apps in another vassal)"))
        }
        for line in entries.filter({ $0.key == "mount" }).compactMap({ MountLine.parse($0.value) }) {
            guard !seen.insert(line.prefix).inserted else { continue }
            let place = line.prefix.isEmpty ? "the root" : Quoted.text(line.prefix)
            problems.append(("mount", "two apps are mounted at \(place) (\"module\"/\"wsgi-file\" is the app at the root); keep one"))
        }
        return problems
    }
}

// The typed keys of these options.
extension Option where Value == Int {
    /// Bytes (0: off).
    public static var postBuffering: Self { .init("post-buffering") }
}

extension Option where Value == Bool {
    public static var wsgiDisableFileWrapper: Self { .init("wsgi-disable-file-wrapper") }
    public static var manageScriptName: Self { .init("manage-script-name") }
    public static var noDefaultApp: Self { .init("no-default-app") }
}

extension Option where Value == [MountLine] {
    public static var mount: Self { .init(list: "mount") }
}
