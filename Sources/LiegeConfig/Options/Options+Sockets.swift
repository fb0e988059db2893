extension OptionRegistry {
    /// Listening sockets and connection limits.
    static let socketOptions: [OptionSpec] = [
        OptionSpec("socket", aliases: ["uwsgi-socket"], type: .address, repeatable: true, help: "listen with the uwsgi protocol"),
        OptionSpec("http-socket", type: .address, repeatable: true, help: "listen with HTTP/1.1",
                   noticeAliases: ["http": "\"http\" is read as \"http-socket\" (Liege has no separate HTTP router)"]),
        OptionSpec("protocol", type: .string, default: "uwsgi", help: "protocol of on-demand sockets"),
        OptionSpec("listen", type: .int, default: "1024", help: "listen backlog", range: 1...65535),
        OptionSpec("chmod-socket", aliases: ["chmod"], type: .octal,
                   help: "permissions of unix sockets (three octal digits; bare: 666)", bareValue: "666"),
        OptionSpec("chown-socket", type: .user, help: "owner of unix sockets (`user` or `user:group`)"),
        OptionSpec("buffer-size", type: .bytes, default: "65535",
                   help: "largest request header block", range: 1024...(64 * 1024 * 1024)),
        OptionSpec("socket-timeout", type: .seconds, default: "30", help: "read timeout of a connection"),
        OptionSpec("http-keepalive", type: .seconds, default: "0",
                   help: "keep idle HTTP connections open this long (`true` = 5)", bareValue: "5",
                   valueWords: ["true": "5", "yes": "5", "on": "5", "false": "0", "no": "0", "off": "0"]),
    ]
}
