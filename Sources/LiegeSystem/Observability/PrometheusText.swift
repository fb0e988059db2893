/// Builds Prometheus text exposition format 0.0.4: per family one `# HELP` and one `# TYPE` line, then its
/// samples. Shared by the master's and the emperor's `/metrics`; pure code.
public struct PrometheusText: Sendable {
    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// The `DocumentServer` answer for a request: the page at `/metrics`, 404 elsewhere.
    public static func response(for request: DocumentServer.Request, page: () -> String) -> DocumentServer.Response {
        guard request.path == "/metrics" else {
            return DocumentServer.Response(status: 404, contentType: "text/plain", body: "metrics are at /metrics\n")
        }
        return DocumentServer.Response(contentType: PrometheusText.contentType, body: page())
    }

    public private(set) var text = ""

    public init() {}

    /// Starts the family `name`: its HELP and TYPE lines.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample line: `name{label="value",...} value`.
    public mutating func sample(_ name: String, _ value: Int, labels: [(String, String)] = []) {
        line(name, labels, String(value))
    }

    public mutating func sample(_ name: String, _ value: Double, labels: [(String, String)] = []) {
        line(name, labels, Self.number(value))
    }

    /// A histogram from per-bucket counts (not cumulative; `counts.count == bounds.count + 1`, the last one
    /// for +Inf) and the sum of observations: the `_bucket`, `_sum` and `_count` lines.
    public mutating func histogram(_ name: String, labels: [(String, String)] = [], bounds: [Double], counts: [Int], sum: Double) {
        var cumulative = 0
        for (index, count) in counts.enumerated() {
            cumulative += count
            let bound = index < bounds.count ? Self.number(bounds[index]) : "+Inf"
            line(name + "_bucket", labels + [("le", bound)], String(cumulative))
        }
        line(name + "_sum", labels, Self.number(sum))
        line(name + "_count", labels, String(cumulative))
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escapedLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + value + "\n"
    }

    /// Go-style float text: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and newline; HELP text only backslash and newline.
    static func escapedLabel(_ text: String) -> String {
        escaped(text, quotes: true)
    }

    static func escapedHelp(_ text: String) -> String {
        escaped(text, quotes: false)
    }

    private static func escaped(_ text: String, quotes: Bool) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"" where quotes: result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
