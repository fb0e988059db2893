import LiegeConfig
import LiegeHTTP

/// The static-file options of a config (SPEC §11), read once; `StaticFileServer` builds on them.
struct StaticSettings: Sendable {
    /// check-static, static-map and static-map2 entries, in config order.
    var rules: [StaticRule] = []
    var indexNames: [[UInt8]] = []
    var skipExtensions: [[UInt8]] = []
    var safeRoots: [[UInt8]] = []
    var mimeFiles: [String] = []
    var expires: [ExpiresRule] = []
    var gzipAll = false
    var gzipDirectories: [[UInt8]] = []
    var gzipExtensions: [[UInt8]] = []

    var isEnabled: Bool { !rules.isEmpty }

    init() {}

    init(config: Config) {
        let families: [String: (ExpiresRule.Subject, Bool)] = [
            "static-expires": (.path, false), "static-expires-mtime": (.path, true),
            "static-expires-path-info": (.pathInfo, false), "static-expires-path-info-mtime": (.pathInfo, true),
            "static-expires-uri": (.uri, false), "static-expires-uri-mtime": (.uri, true),
            "static-expires-type": (.type, false), "static-expires-type-mtime": (.type, true),
        ]
        for entry in config.entries {
            switch entry.key {
            case "static-map": add(.map, entry.value)
            case "static-map2": add(.map2, entry.value)
            case "check-static": add(.check, entry.value)
            case "static-index": indexNames.append(Array(entry.value.utf8))
            case "static-skip-ext": skipExtensions.append(Array(entry.value.utf8))
            case "static-safe": safeRoots.append(StaticPath.normalizedRoot(Array(entry.value.utf8)))
            case "static-gzip-dir": gzipDirectories.append(StaticPath.normalizedRoot(Array(entry.value.utf8)))
            case "static-gzip-ext":
                let suffix = entry.value.hasPrefix(".") ? entry.value : "." + entry.value
                gzipExtensions.append(Array(suffix.utf8))
            default:
                if let (subject, fromModification) = families[entry.key],
                   case let .success(rule) = ExpiresRule.parse(subject, fromModification: fromModification, entry.value) {
                    expires.append(rule)
                }
            }
        }
        gzipAll = config.bool("static-gzip-all")
        mimeFiles = config.isSet("mimefile") ? config.list("mimefile") : [config.string("mimefile") ?? "/etc/mime.types"]
    }

    private mutating func add(_ kind: StaticRule.Kind, _ value: String) {
        if case let .success(rule) = StaticRule.parse(kind, value) { rules.append(rule) }
    }

    /// Relative roots made absolute against the worker's directory (after `chdir`), so the cheap
    /// containment check applies to them too.
    func anchored(at directory: String) -> StaticSettings {
        var copy = self
        let base = Array(directory.utf8)
        func absolute(_ path: [UInt8]) -> [UInt8] {
            path.first == 0x2F ? path : StaticPath.normalizedRoot(base + [0x2F] + path)
        }
        copy.rules = rules.map { StaticRule(kind: $0.kind, prefix: $0.prefix, root: absolute($0.root)) }
        copy.safeRoots = safeRoots.map(absolute)
        copy.gzipDirectories = gzipDirectories.map(absolute)
        return copy
    }
}
