/// Lexical rules for decoded request paths and for joining them to a root, by components.
public enum StaticPath {
    /// What a decoded path may do under a static prefix.
    public enum Verdict: Equatable, Sendable {
        case safe
        /// A `..` segment or a backslash: answered 403 under a mapped prefix, never looked up.
        case traversal
        /// A NUL byte: answered 400.
        case nulByte
    }

    /// Checks a decoded path (decoded once: `%252e` arrives here as the literal `%2e`).
    public static func check(_ path: [UInt8]) -> Verdict {
        var segmentStart = 0
        var index = 0
        let count = path.count
        while index <= count {
            let byte: UInt8 = index < count ? path[index] : ASCII.slash
            if byte == 0 { return .nulByte }
            if byte == 0x5C { return .traversal }  // backslash: a separator elsewhere, never a name here
            if byte == ASCII.slash {
                if index - segmentStart == 2, path[segmentStart] == 0x2E, path[segmentStart + 1] == 0x2E {
                    return .traversal
                }
                segmentStart = index + 1
            }
            index += 1
        }
        return .safe
    }

    /// `root` + `/` + every non-empty, non-`.` segment of `rest`, plus a trailing `/` when `rest` had one
    /// (so `a.css/` fails to open as a directory instead of serving the file).
    public static func join(_ root: [UInt8], _ rest: ArraySlice<UInt8>) -> [UInt8] {
        var result = root
        result.reserveCapacity(root.count + rest.count + 1)
        var segmentStart = rest.startIndex
        var index = rest.startIndex
        while index <= rest.endIndex {
            if index == rest.endIndex || rest[index] == ASCII.slash {
                let length = index - segmentStart
                if length > 0, !(length == 1 && rest[segmentStart] == 0x2E) {
                    if result.last != ASCII.slash { result.append(ASCII.slash) }
                    result.append(contentsOf: rest[segmentStart..<index])
                }
                segmentStart = index + 1
            }
            index += 1
        }
        if rest.last == ASCII.slash, result.last != ASCII.slash { result.append(ASCII.slash) }
        return result
    }

    /// A configured root without repeated or trailing slashes and without `.` segments (`..` is kept:
    /// only the file system knows what it means).
    public static func normalizedRoot(_ root: [UInt8]) -> [UInt8] {
        let absolute = root.first == ASCII.slash
        var result: [UInt8] = absolute ? [ASCII.slash] : []
        for segment in root.split(separator: ASCII.slash) where !(segment.count == 1 && segment.first == 0x2E) {
            if result.last != ASCII.slash, !result.isEmpty { result.append(ASCII.slash) }
            result.append(contentsOf: segment)
        }
        return result.isEmpty ? [0x2E] : result
    }

    /// Whether `path` is `root` itself or inside it, compared by components (`/srv/static2` is not in
    /// `/srv/static`). Both must be canonical absolute paths.
    public static func isInside(_ path: [UInt8], root: [UInt8]) -> Bool {
        if root == [ASCII.slash] { return path.first == ASCII.slash }
        guard path.count >= root.count else { return false }
        for index in 0..<root.count where path[index] != root[index] { return false }
        return path.count == root.count || path[root.count] == ASCII.slash
    }

    /// The last component of a path (after the final `/`).
    public static func fileName(_ path: [UInt8]) -> ArraySlice<UInt8> {
        guard let slash = path.lastIndex(of: ASCII.slash) else { return path[...] }
        return path[(slash + 1)...]
    }

    /// Whether `path` ends with `suffix`, ignoring ASCII case.
    public static func hasSuffix(_ path: [UInt8], _ suffix: [UInt8]) -> Bool {
        guard !suffix.isEmpty, path.count >= suffix.count else { return false }
        let offset = path.count - suffix.count
        for index in 0..<suffix.count where ASCII.lower(path[offset + index]) != ASCII.lower(suffix[index]) {
            return false
        }
        return true
    }
}
