extension OptionRegistry {
    /// Static files served by the workers before the app (SPEC §11).
    static let staticOptions: [OptionSpec] = [
        OptionSpec("static-map", type: .string, repeatable: true,
                   help: "serve files: `/prefix=PATH` maps /prefix and what is under /prefix/ to PATH + the rest",
                   check: StaticOptionChecks.mapping),
        OptionSpec("static-map2", type: .string, repeatable: true,
                   help: "like static-map, but the whole path is appended to DIR (`/prefix=DIR`)",
                   check: StaticOptionChecks.mapping),
        OptionSpec("check-static", type: .path, repeatable: true, help: "serve DIR + the path when that file exists"),
        OptionSpec("static-index", type: .string, repeatable: true,
                   help: "file to serve for a directory (first that exists; else the app)"),
        OptionSpec("static-skip-ext", type: .string, repeatable: true,
                   help: "files ending with this extension are left to the app"),
        OptionSpec("static-safe", type: .path, repeatable: true,
                   help: "a directory that symlinks in static roots may point into"),
        OptionSpec("mimefile", type: .path, default: "/etc/mime.types", repeatable: true,
                   help: "MIME types file (a built-in table covers the rest)"),
        OptionSpec("static-expires", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching resolved file paths", check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires, counted from the file's mtime",
                   check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-path-info", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching PATH_INFO", check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-path-info-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires-path-info, counted from the file's mtime",
                   check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-uri", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: Expires for matching REQUEST_URI (query included)",
                   check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-uri-mtime", type: .string, repeatable: true,
                   help: "`REGEX SECONDS`: like static-expires-uri, counted from the file's mtime",
                   check: StaticOptionChecks.regexRule),
        OptionSpec("static-expires-type", type: .string, repeatable: true,
                   help: "`MIME=SECONDS`: Expires for files of exactly this Content-Type", check: StaticOptionChecks.typeRule),
        OptionSpec("static-expires-type-mtime", type: .string, repeatable: true,
                   help: "`MIME=SECONDS`: like static-expires-type, counted from the file's mtime",
                   check: StaticOptionChecks.typeRule),
        OptionSpec("static-gzip-all", type: .bool, help: "send F.gz for F when the client accepts gzip and F.gz exists"),
        OptionSpec("static-gzip-dir", type: .path, repeatable: true, help: "like static-gzip-all for files under DIR"),
        OptionSpec("static-gzip-ext", type: .string, repeatable: true,
                   help: "like static-gzip-all for files ending with this extension (`.css`)"),
        OptionSpec("offload-threads", type: .int, default: "0",
                   help: "accepted for compatibility; no effect (workers send files with sendfile)"),
    ]
}

/// Value checks of the static options, so a bad map or regex is a config error with its file:line.
enum StaticOptionChecks {
    @Sendable static func mapping(_ value: String) -> String? {
        guard let equals = value.firstIndex(of: "="), !value[value.index(after: equals)...].isEmpty else {
            return "expects /prefix=path, got \"\(value)\""
        }
        guard value.hasPrefix("/") else { return "expects a prefix starting with \"/\", got \"\(value)\"" }
        return nil
    }

    @Sendable static func regexRule(_ value: String) -> String? {
        guard let (pattern, _) = split(value, at: " ") else {
            return "expects REGEX SECONDS, got \"\(value)\""
        }
        do {
            _ = try Regex(pattern)
        } catch {
            return "has an invalid regular expression \"\(pattern)\": \(error)"
        }
        return nil
    }

    @Sendable static func typeRule(_ value: String) -> String? {
        split(value, at: "=") == nil ? "expects MIME=SECONDS, got \"\(value)\"" : nil
    }

    /// `PATTERN<sep>SECONDS` split at the last separator; nil when the shape is wrong.
    private static func split(_ value: String, at separator: Character) -> (String, Int)? {
        var text = Substring(value)
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        guard let index = text.lastIndex(of: separator) else { return nil }
        let pattern = text[..<index].trimmingCharacters(" ")
        let number = text[text.index(after: index)...]
        guard !pattern.isEmpty, !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let seconds = Int(number) else {
            return nil
        }
        return (pattern, seconds)
    }
}

private extension Substring {
    func trimmingCharacters(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
