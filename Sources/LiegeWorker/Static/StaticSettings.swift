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
        rules = config.inOrder([.staticMap, .staticMap2, .checkStatic])
        indexNames = config[.staticIndex].map { Array($0.utf8) }
        skipExtensions = config[.staticSkipExtensions].map { Array($0.utf8) }
        safeRoots = config[.staticSafe].map { StaticPath.normalizedRoot(Array($0.utf8)) }
        gzipDirectories = config[.staticGzipDirectories].map { StaticPath.normalizedRoot(Array($0.utf8)) }
        gzipExtensions = config[.staticGzipExtensions].map { Array(($0.hasPrefix(".") ? $0 : "." + $0).utf8) }
        expires = config.inOrder(Option.staticExpiresFamilies)
        gzipAll = config[.staticGzipAll]
        mimeFiles = config[.mimeFiles]
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
