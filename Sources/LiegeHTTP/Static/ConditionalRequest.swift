/// Validators of a static file and the conditional request headers that use them (RFC 9110 §13).
public enum ConditionalRequest {
    /// A strong entity tag from the file's size and modification time (seconds and nanoseconds),
    /// in hexadecimal: `"6560f0a1.1dcd6500-4000"`. A changed or replaced file gets a new tag.
    public static func entityTag(size: Int, modifiedSeconds: Int, modifiedNanoseconds: Int) -> String {
        "\"\(String(modifiedSeconds, radix: 16)).\(String(modifiedNanoseconds, radix: 16))-\(String(size, radix: 16))\""
    }

    /// 304 Not Modified? `If-None-Match` decides when present (weak comparison, `*` matches);
    /// otherwise `If-Modified-Since` at or after the file's modification second.
    public static func isNotModified(ifNoneMatch: String?, ifModifiedSince: String?, entityTag: String,
                                     modifiedSeconds: Int) -> Bool {
        if let ifNoneMatch {
            return matches(ifNoneMatch, entityTag, weak: true)
        }
        guard let ifModifiedSince, let since = HTTPDateParser.parse(ifModifiedSince) else { return false }
        return modifiedSeconds <= since
    }

    /// Whether a Range header may be honoured: no `If-Range`, or one naming the current entity tag
    /// (strong comparison) or exactly the current `Last-Modified` date.
    public static func rangeApplies(ifRange: String?, entityTag: String, lastModified: String) -> Bool {
        guard let ifRange else { return true }
        let value = trimmed(Substring(ifRange))
        if value.hasPrefix("\"") || value.hasPrefix("W/") { return matches(String(value), entityTag, weak: false) }
        return value == lastModified
    }

    /// Whether a comma-separated list of entity tags contains `tag` (or is `*`).
    static func matches(_ list: String, _ tag: String, weak: Bool) -> Bool {
        let wanted = weak ? opaque(Substring(tag)) : Substring(tag)
        for element in list.split(separator: ",") {
            let candidate = trimmed(element)
            if candidate == "*" { return true }
            if !weak, candidate.hasPrefix("W/") { continue }
            if (weak ? opaque(candidate) : candidate) == wanted { return true }
        }
        return false
    }

    private static func opaque(_ tag: Substring) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start] == " " || text[start] == "\t" { start = text.index(after: start) }
        while end > start {
            let before = text.index(before: end)
            guard text[before] == " " || text[before] == "\t" else { break }
            end = before
        }
        return text[start..<end]
    }

    /// Whether `Accept-Encoding` allows gzip (`gzip` or `*` listed without `q=0`; an explicit gzip entry wins).
    public static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var star: Bool?
        for element in acceptEncoding.lowercased().split(separator: ",") {
            let parts = element.split(separator: ";")
            guard let coding = parts.first.map({ trimmed($0) }) else { continue }
            var quality = true
            for parameter in parts.dropFirst() {
                let pair = trimmed(parameter).split(separator: "=", maxSplits: 1)
                if pair.count == 2, trimmed(pair[0]) == "q", let q = Double(trimmed(pair[1])) { quality = q > 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { return quality }
            if coding == "*" { star = quality }
        }
        return star ?? false
    }
}
