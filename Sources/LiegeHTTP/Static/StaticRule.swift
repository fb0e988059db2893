/// One static-file rule from the config, in the order it was given:
/// `static-map = /p=PATH`, `static-map2 = /p=DIR`, `check-static = DIR`.
public struct StaticRule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `/p` and everything under `/p/` map to PATH + the rest of the path.
        case map
        /// `/p` and everything under `/p/` map to DIR + the whole path.
        case map2
        /// Every path maps to DIR + the path.
        case check
    }

    public var kind: Kind
    /// The URL prefix without a trailing slash (empty for `check-static` and for a `/` prefix).
    public var prefix: [UInt8]
    /// The file or directory on disk, without a trailing slash (except `/` itself).
    public var root: [UInt8]

    public init(kind: Kind, prefix: [UInt8], root: [UInt8]) {
        self.kind = kind
        self.prefix = prefix
        self.root = root
    }

    /// Parses an option value (`/p=PATH` for the maps, `DIR` for check-static); the message says what is wrong.
    public static func parse(_ kind: Kind, _ value: String) -> Result<StaticRule, StaticRuleError> {
        if kind == .check {
            guard !value.isEmpty else { return .failure(StaticRuleError("check-static needs a directory")) }
            return .success(StaticRule(kind: .check, prefix: [], root: StaticPath.normalizedRoot(Array(value.utf8))))
        }
        guard let equals = value.firstIndex(of: "="), equals != value.index(before: value.endIndex) else {
            return .failure(StaticRuleError("expects /prefix=path, got \"\(value)\""))
        }
        let prefix = value[..<equals]
        let path = value[value.index(after: equals)...]
        guard prefix.hasPrefix("/") else {
            return .failure(StaticRuleError("expects a prefix starting with \"/\", got \"\(value)\""))
        }
        var prefixBytes = Array(prefix.utf8)
        while prefixBytes.last == ASCII.slash { prefixBytes.removeLast() }
        return .success(StaticRule(kind: kind, prefix: prefixBytes, root: StaticPath.normalizedRoot(Array(path.utf8))))
    }

    /// Where a decoded request path leads under this rule; nil when the rule does not apply.
    /// The path must already have passed `StaticPath.check`.
    public func candidate(for path: [UInt8]) -> [UInt8]? {
        switch kind {
        case .check:
            return StaticPath.join(root, path[...])
        case .map, .map2:
            guard let rest = remainder(of: path) else { return nil }
            return StaticPath.join(root, kind == .map ? rest : path[...])
        }
    }

    /// The part of `path` after the prefix when `path` is the prefix or under `prefix/` (component boundary).
    func remainder(of path: [UInt8]) -> ArraySlice<UInt8>? {
        guard path.count >= prefix.count else { return nil }
        for index in 0..<prefix.count where path[index] != prefix[index] { return nil }
        if path.count == prefix.count { return path[path.count...] }
        guard path[prefix.count] == ASCII.slash else { return nil }
        return path[prefix.count...]
    }
}

/// Why a static rule's value is wrong.
public struct StaticRuleError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
