extension OptionRegistry {
    /// uWSGI options a real config carries that Liege either provides built in, gets for free from the
    /// way it always works, or refuses with the alternative (docs/migrating.md has the whole table).
    static let compatibilityOptions: [OptionSpec] = [
        OptionSpec("plugins", aliases: ["plugin"], type: .string, repeatable: true,
                   help: "uWSGI plugins to load (comma or space separated): Liege's built-ins (python, python3, pythonNN, "
                       + "http, router_static, logfile, syslog, ...) are accepted; a plugin Liege cannot provide is an error "
                       + "that names the alternative",
                   check: PluginNames.problem),
        OptionSpec("plugins-dir", aliases: ["plugin-dir"], type: .path, repeatable: true,
                   help: "accepted for compatibility; no effect (every plugin Liege has is built in)"),
        OptionSpec("thunder-lock", type: .bool,
                   help: "accepted: always so; each connection wakes and is accepted by one worker (non-blocking accept), "
                       + "so there is no thundering herd to serialize"),
        OptionSpec("reaper", type: .bool, help: "accepted: always so; the master reaps every child as soon as it ends"),
        OptionSpec("no-defer-accept", type: .bool,
                   help: "accepted, no effect: Liege keeps TCP_DEFER_ACCEPT on HTTP sockets; a connection that sends "
                       + "nothing never holds a worker, and the app sees no difference"),
        OptionSpec("ignore-sigpipe", type: .bool,
                   help: "accepted: always so; a client that went away is an ordinary write error, never a signal"),
        OptionSpec("ignore-write-errors", type: .bool,
                   help: "accepted: always so; a write to a client that went away ends the response quietly "
                       + "(no traceback, the request log shows it)"),
        OptionSpec("disable-write-exception", type: .bool,
                   help: "accepted: always so; a write to a client that went away never raises into the app "
                       + "(the response iterator is closed instead)"),
        OptionSpec("http-auto-chunked", type: .bool,
                   help: "accepted: always so; an HTTP/1.1 response without Content-Length is sent chunked"),
        OptionSpec("log-master", type: .bool,
                   help: "accepted: always so; worker and daemon output passes through the master"),
        OptionSpec("auto-procname", type: .bool,
                   help: "accepted: always so; processes are named `liege master NAME`, `liege worker ID NAME`"),
        OptionSpec("vhost", type: .string, help: "refused: run one vassal per virtual host and let nginx pick it by server name",
                   check: { value in refusal(value, "is not supported: run one vassal per virtual host under the emperor and let nginx choose it by server_name (uwsgi_pass per server block)") }),
        OptionSpec("gevent", type: .string, help: "refused: use `threads` (WSGI) or `asgi` (asyncio apps) instead",
                   check: { value in refusal(value, "is not supported: Liege runs WSGI apps on threads (use \"threads = N\") and asyncio apps natively (use \"asgi = module:app\"); gevent monkey-patching is not needed") }),
    ]

    /// The message of a refused option, unless its value turns it off.
    private static func refusal(_ value: String, _ message: String) -> String? {
        ["false", "no", "off", "0", ""].contains(value.lowercased()) ? nil : message
    }
}
