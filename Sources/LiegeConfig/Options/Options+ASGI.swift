extension OptionRegistry {
    /// ASGI apps (Starlette, FastAPI, Django's asgi.py, Channels) and their WebSockets.
    static let asgiOptions: [OptionSpec] = [
        OptionSpec("asgi", type: .string,
                   help: "ASGI application to serve (`pkg.mod` or `pkg.mod:callable`, callable `application` by default); instead of `module`/`wsgi-file`"),
        OptionSpec("asgi-loop", type: .string, default: "auto",
                   help: "event loop of the ASGI thread: `auto` (uvloop when the app's venv has it), `asyncio` or `uvloop`",
                   parser: choiceParser(among: asgiLoops)),
        OptionSpec("asgi-lifespan", type: .string, default: "auto",
                   help: "ASGI lifespan protocol: `auto` (used when the app supports it), `on` (a failure stops the worker), `off`",
                   parser: choiceParser(among: asgiLifespanModes)),
        OptionSpec("root-path", type: .string, default: "",
                   help: "the ASGI `root_path`: the prefix under which a proxy mounts the app"),
        OptionSpec("websocket-max-size", type: .bytes, default: "16777216",
                   help: "largest WebSocket message accepted (bigger ones close the connection with 1009)", range: 125...Int.max),
        OptionSpec("websocket-per-message-deflate", type: .bool, default: "true",
                   help: "accept the permessage-deflate extension (RFC 7692) when the client offers it"),
    ]

    public static let asgiLoops = ["auto", "asyncio", "uvloop"]
    public static let asgiLifespanModes = ["auto", "on", "off"]

    /// One of `choices`, in any case; the value is the choice in lower case.
    static func choiceParser(among choices: [String]) -> OptionParser {
        OptionParser { value in
            choices.contains(value.lowercased()) ? .success(value.lowercased())
                : .failure(ValueError("expected one of \(choices.joined(separator: ", ")), got \(value.debugDescription)"))
        }
    }

    /// An ASGI app and a WSGI app in one config: one vassal serves one kind of app.
    static func asgiRelations(_ entries: [ConfigEntry]) -> [(option: String, message: String)] {
        guard entries.contains(where: { $0.key == "asgi" }) else { return [] }
        for wsgi in ["module", "wsgi-file"] where entries.contains(where: { $0.key == wsgi }) {
            return [("asgi", "asgi and \(wsgi) both name an app: a vassal serves one app, ASGI or WSGI (keep one of them)")]
        }
        return []
    }
}

// The typed keys of these options.
extension Option where Value == String? {
    /// The ASGI app (`pkg.mod[:callable]`).
    public static var asgi: Self { .init(optional: "asgi") }
}

extension Option where Value == String {
    /// `auto`, `asyncio` or `uvloop` (lower case).
    public static var asgiLoop: Self { .init("asgi-loop") }
    /// `auto`, `on` or `off` (lower case).
    public static var asgiLifespan: Self { .init("asgi-lifespan") }
    public static var rootPath: Self { .init("root-path") }
}

extension Option where Value == Int {
    public static var websocketMaxSize: Self { .init("websocket-max-size") }
}

extension Option where Value == Bool {
    public static var websocketPerMessageDeflate: Self { .init("websocket-per-message-deflate") }
}
