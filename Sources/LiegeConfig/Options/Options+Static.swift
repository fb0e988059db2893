import LiegeHTTP

extension OptionRegistry {
    /// Static files served by the workers before the app (SPEC §11).
    static let staticOptions: [OptionSpec] = [
        OptionSpec("static-map", type: .string, repeatable: true,
                   help: "serve files: `/prefix=PATH` maps /prefix and what is under /prefix/ to PATH + the rest",
                   parser: StaticOptionParsers.rule(.map)),
        OptionSpec("static-map2", type: .string, repeatable: true,
                   help: "like static-map, but the whole path is appended to DIR (`/prefix=DIR`)",
                   parser: StaticOptionParsers.rule(.map2)),
        OptionSpec("check-static", type: .path, repeatable: true, help: "serve DIR + the path when that file exists",
                   parser: StaticOptionParsers.rule(.check)),
        OptionSpec("static-index", type: .string, repeatable: true,
                   help: "file to serve for a directory (first that exists; else the app)"),
        OptionSpec("static-skip-ext", type: .string, repeatable: true,
                   help: "files ending with this extension are left to the app"),
        OptionSpec("static-safe", type: .path, repeatable: true,
                   help: "a directory that symlinks in static roots may point into"),
        OptionSpec("mimefile", type: .path, default: "/etc/mime.types", repeatable: true,
                   help: "MIME types file (a built-in table covers the rest)"),
        OptionSpec("static-expires", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching resolved file paths",
                   parser: StaticOptionParsers.expires(.path, fromModification: false)),
        OptionSpec("static-expires-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires, counted from the file's mtime",
                   parser: StaticOptionParsers.expires(.path, fromModification: true)),
        OptionSpec("static-expires-path-info", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching PATH_INFO",
                   parser: StaticOptionParsers.expires(.pathInfo, fromModification: false)),
        OptionSpec("static-expires-path-info-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires-path-info, counted from the file's mtime",
                   parser: StaticOptionParsers.expires(.pathInfo, fromModification: true)),
        OptionSpec("static-expires-uri", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching REQUEST_URI (query included)",
                   parser: StaticOptionParsers.expires(.uri, fromModification: false)),
        OptionSpec("static-expires-uri-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires-uri, counted from the file's mtime",
                   parser: StaticOptionParsers.expires(.uri, fromModification: true)),
        OptionSpec("static-expires-type", type: .string, repeatable: true,
                   help: "`MIME=SECONDS`: Expires for files of exactly this Content-Type",
                   parser: StaticOptionParsers.expires(.type, fromModification: false)),
        OptionSpec("static-expires-type-mtime", type: .string, repeatable: true,
                   help: "`MIME=SECONDS`: like static-expires-type, counted from the file's mtime",
                   parser: StaticOptionParsers.expires(.type, fromModification: true)),
        OptionSpec("static-gzip-all", type: .bool, help: "send F.gz for F when the client accepts gzip and F.gz exists"),
        OptionSpec("static-gzip-dir", type: .path, repeatable: true, help: "like static-gzip-all for files under DIR"),
        OptionSpec("static-gzip-ext", type: .string, repeatable: true,
                   help: "like static-gzip-all for files ending with this extension (`.css`)"),
        OptionSpec("offload-threads", type: .int, default: "0",
                   help: "accepted for compatibility; no effect (workers send files with sendfile)"),
    ]
}

/// The grammars of the static options (LiegeHTTP's parsers), so a bad map or regex is a config error
/// with its file:line and the worker gets the rules already parsed and compiled.
enum StaticOptionParsers {
    static func rule(_ kind: StaticRule.Kind) -> OptionParser {
        OptionParser({ StaticRule.parse(kind, $0) }, message: \.message)
    }

    static func expires(_ subject: ExpiresRule.Subject, fromModification: Bool) -> OptionParser {
        OptionParser({ ExpiresRule.parse(subject, fromModification: fromModification, $0) }, message: \.message)
    }
}

extension Option where Value == [StaticRule] {
    public static var staticMap: Self { .init(list: "static-map") }
    public static var staticMap2: Self { .init(list: "static-map2") }
    public static var checkStatic: Self { .init(list: "check-static") }
}

extension Option where Value == [ExpiresRule] {
    /// Every `static-expires*` family: their rules together make the worker's `ExpiresPolicy`.
    public static var staticExpiresFamilies: [Self] {
        ["static-expires", "static-expires-mtime", "static-expires-path-info", "static-expires-path-info-mtime",
         "static-expires-uri", "static-expires-uri-mtime", "static-expires-type", "static-expires-type-mtime"].map { .init(list: $0) }
    }
}

extension Option where Value == [String] {
    public static var staticIndex: Self { .init(list: "static-index") }
    public static var staticSkipExtensions: Self { .init(list: "static-skip-ext") }
    public static var staticSafe: Self { .init(list: "static-safe") }
    /// The `mime.types` files (default: /etc/mime.types).
    public static var mimeFiles: Self { .init(list: "mimefile") }
    public static var staticGzipDirectories: Self { .init(list: "static-gzip-dir") }
    public static var staticGzipExtensions: Self { .init(list: "static-gzip-ext") }
}

extension Option where Value == Bool {
    public static var staticGzipAll: Self { .init("static-gzip-all") }
}
