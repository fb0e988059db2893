import LiegeConfig
/// One finished request, as the request log sees it.
struct RequestRecord {
    var method: String
    var uri: String
    var proto: String
    var remoteAddress: String
    var remoteUser: String
    var host: String
    var userAgent: String
    var referer: String
    var status: Int
    var bodyBytes: Int
    var headerBytes: Int
    var requestBodyBytes: Int
    var contentLength: String
    var durationMicroseconds: Int
    var startEpochSeconds: Int
    var localTime: String
    var ctime: String
    var workerID: Int
    var pid: Int32
    /// The worker's memory after the request (`memory-report`), nil when off.
    var memory: MemoryReport? = nil
    var variable: (String) -> String?
    /// What the app set with `uwsgi.set_logvar`.
    var logVariables: [String: String] = [:]
}

/// A compiled `log-format` (uWSGI's `%(name)` variables), rendered once per request.
struct AccessLogFormat {
    /// The registry's default of `log-format`.
    static let defaultFormat = OptionRegistry.defaultLogFormat

    static let knownVariables: Set<String> = [
        "uri", "method", "user", "addr", "host", "proto", "uagent", "referer", "status", "micros", "msecs",
        "secs", "time", "ctime", "ltime", "epoch", "size", "hsize", "rsize", "cl", "pid", "wid", "rss", "vsz",
        "rssM", "vszM", "uss", "ussM", "pss", "pssM",
    ]

    enum Segment: Equatable {
        case text(String)
        case variable(String)
    }

    let segments: [Segment]
    /// `log-x-forwarded-for`: `%(addr)` is the request's X-Forwarded-For header when it has one.
    let forwardedAddress: Bool

    init(_ format: String, forwardedAddress: Bool = false) {
        self.forwardedAddress = forwardedAddress
        var segments: [Segment] = []
        var text = ""
        var rest = Substring(format)
        while let start = rest.firstRange(of: "%("), let end = rest[start.upperBound...].firstIndex(of: ")") {
            text += rest[..<start.lowerBound]
            let name = String(rest[start.upperBound..<end])
            if !text.isEmpty { segments.append(.text(text)); text = "" }
            segments.append(.variable(name))
            rest = rest[rest.index(after: end)...]
        }
        text += rest
        if !text.isEmpty { segments.append(.text(text)) }
        self.segments = segments
    }

    func render(_ record: RequestRecord) -> String {
        var line = ""
        line.reserveCapacity(128)
        for segment in segments {
            switch segment {
            case .text(let text): line += text
            case .variable(let name): line += value(of: name, in: record)
            }
        }
        return line
    }

    private func value(of name: String, in record: RequestRecord) -> String {
        switch name {
        case "uri": return record.uri
        case "method": return record.method
        case "user": return record.remoteUser.isEmpty ? "-" : record.remoteUser
        case "addr":
            if forwardedAddress, let forwarded = record.variable("HTTP_X_FORWARDED_FOR"), !forwarded.isEmpty { return forwarded }
            return record.remoteAddress
        case "host": return record.host
        case "proto": return record.proto
        case "uagent": return record.userAgent
        case "referer": return record.referer
        case "status": return String(record.status)
        case "micros": return String(record.durationMicroseconds)
        case "msecs": return String(record.durationMicroseconds / 1000)
        case "secs": return String(Double(record.durationMicroseconds) / 1_000_000)
        case "time", "epoch": return String(record.startEpochSeconds)
        case "ctime": return record.ctime
        case "ltime": return record.localTime
        case "size": return String(record.bodyBytes)
        case "hsize": return String(record.headerBytes)
        case "rsize": return String(record.requestBodyBytes)
        case "cl": return record.contentLength
        case "pid": return String(record.pid)
        case "wid": return String(record.workerID)
        default:
            if let memory = record.memory, let value = memory.variable(name) { return value }
            if name.hasPrefix("var.") { return record.variable(String(name.dropFirst(4))) ?? "-" }
            if let value = record.logVariables[name] { return value }
            // Any other name is a log variable the app did not set this time: empty, as in uWSGI.
            return Self.knownVariables.contains(name) ? "-" : ""
        }
    }
}
