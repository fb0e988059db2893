/// The names `plugins = ...` may give: uWSGI plugins that Liege has built in are accepted; the others
/// are refused with what to use instead.
enum PluginNames {
    /// Plugins whose feature Liege has built in.
    static let builtIn: Set<String> = [
        "python", "python3", "http", "router_static", "logfile", "syslog", "rsyslog", "corerouter", "ping",
        "cheaper_busyness", "transformation_chunked", "router_redirect", "router_rewrite",
    ]

    /// Alternatives for plugins Liege cannot provide, by name prefix.
    static let alternatives: [(prefix: String, advice: String)] = [
        ("gevent", "use \"threads = N\" (WSGI) or \"asgi\" (asyncio apps)"),
        ("greenlet", "use \"threads = N\" (WSGI) or \"asgi\" (asyncio apps)"),
        ("ugreen", "use \"threads = N\" (WSGI) or \"asgi\" (asyncio apps)"),
        ("asyncio", "use \"asgi = module:app\" for asyncio apps"),
        ("tornado", "use \"asgi\" for asynchronous apps"),
        ("python2", "Liege embeds Python 3 only"),
        ("python27", "Liege embeds Python 3 only"),
        ("router_", "Liege's internal routing has redirect, rewrite, static, headers and return (docs/routing.md); do caching, proxying and auth in nginx"),
        ("stats_pusher", "scrape \"metrics = ADDR\" (Prometheus) or read \"stats = ADDR\" instead"),
        ("carbon", "scrape \"metrics = ADDR\" (Prometheus) or read \"stats = ADDR\" instead"),
        ("emperor_", "the emperor watches directories: \"emperor = DIR\""),
        ("php", "Liege runs Python apps (WSGI and ASGI) only"),
        ("psgi", "Liege runs Python apps (WSGI and ASGI) only"),
        ("rack", "Liege runs Python apps (WSGI and ASGI) only"),
        ("ruby", "Liege runs Python apps (WSGI and ASGI) only"),
        ("lua", "Liege runs Python apps (WSGI and ASGI) only"),
        ("jvm", "Liege runs Python apps (WSGI and ASGI) only"),
        ("jwsgi", "Liege runs Python apps (WSGI and ASGI) only"),
        ("mono", "Liege runs Python apps (WSGI and ASGI) only"),
        ("cgi", "Liege runs Python apps (WSGI and ASGI) only"),
        ("go", "Liege runs Python apps (WSGI and ASGI) only"),
        ("v8", "Liege runs Python apps (WSGI and ASGI) only"),
    ]

    /// The plugin names of one `plugins` value: `python3,http`, `python3 http`, `/usr/lib/uwsgi/python3_plugin.so`.
    static func names(in value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map { word in
            var name = String(word.split(separator: "/").last ?? word).lowercased()
            if name.hasSuffix("_plugin.so") { name = String(name.dropLast("_plugin.so".count)) }
            if let colon = name.firstIndex(of: ":") { name = String(name[name.index(after: colon)...]) }   // `0:python3`
            return name
        }
    }

    /// The message for the first plugin Liege cannot provide, or nil when all are built in.
    @Sendable static func problem(_ value: String) -> String? {
        for name in names(in: value) where !isBuiltIn(name) {
            if let advice = alternatives.first(where: { name.hasPrefix($0.prefix) })?.advice {
                return "names plugin \(Quoted.text(name)), which Liege cannot provide: \(advice)"
            }
            return "names unknown plugin \(Quoted.text(name)) (Liege has built in: python, http, router_static, router_redirect, router_rewrite, logfile, syslog; other features are options, see docs/migrating.md)"
        }
        return nil
    }

    /// python, python3, python3N / python3NN (`python311`, `python3.11`): the embedded CPython.
    static func isBuiltIn(_ name: String) -> Bool {
        if builtIn.contains(name) { return true }
        guard name.hasPrefix("python3") else { return false }
        let rest = name.dropFirst("python3".count).filter { $0 != "." && $0 != "_" }
        return rest.allSatisfy(\.isASCIIDigit)
    }
}
