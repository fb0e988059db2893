import LiegeSystem

/// One `logger` / `req-logger` value (uWSGI's forms): `[NAME ]file:PATH`, `[NAME ]stdio`,
/// `[NAME ]syslog[:IDENT[,FACILITY]]`.
public struct LoggerLine: Sendable, Equatable {
    /// The name `log-route` refers to; nil for an unnamed logger.
    public var name: String?
    public var destination: LogDestination

    public init(name: String?, destination: LogDestination) {
        self.name = name
        self.destination = destination
    }

    /// A validated value (nil cannot happen after loading: the check refused it).
    public static func parse(_ text: String, defaultIdent: String = "liege") -> LoggerLine? {
        try? parsed(text, defaultIdent: defaultIdent).get()
    }

    /// A validated `log-route` value.
    public static func parseRoute(_ text: String) -> LogRoute? {
        try? route(text).get()
    }

    /// The line with `ident` as its syslog ident when it names none (the `logger` keys parse without one).
    public func identified(as ident: String) -> LoggerLine {
        guard case .syslog(let own, let facility) = destination, own.isEmpty else { return self }
        return LoggerLine(name: name, destination: .syslog(ident: ident, facility: facility))
    }

    /// Parses a value; the message says what is wrong. `defaultIdent` is syslog's ident when none is given.
    static func parsed(_ text: String, defaultIdent: String = "liege") -> Result<LoggerLine, ValueError> {
        var name: String?
        var spec = IniReader.trim(text)
        if let space = spec.firstIndex(where: { $0 == " " || $0 == "\t" }), !spec[..<space].contains(":") {
            name = String(spec[..<space])
            spec = IniReader.trim(spec[space...])
        }
        let kind = spec.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let argument = spec.firstIndex(of: ":").map { String(spec[spec.index(after: $0)...]) } ?? ""
        switch kind {
        case "file":
            guard !argument.isEmpty else { return .failure(ValueError("\"file:\" needs a path (file:/var/log/app.log)")) }
            return .success(LoggerLine(name: name, destination: .file(argument)))
        case "stdio":
            return .success(LoggerLine(name: name, destination: .stdio))
        case "syslog":
            let parts = argument.split(separator: ",", maxSplits: 1).map(String.init)
            let ident = parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? defaultIdent
            var facility = LogDestination.facilities["user"] ?? 8
            if parts.count == 2 {
                guard let number = LogDestination.facilities[parts[1].lowercased()] else {
                    let known = LogDestination.facilities.keys.sorted().joined(separator: ", ")
                    return .failure(ValueError("unknown syslog facility \(Quoted.text(parts[1])) (one of \(known))"))
                }
                facility = number
            }
            return .success(LoggerLine(name: name, destination: .syslog(ident: ident, facility: facility)))
        default:
            return .failure(ValueError("logger \(Quoted.text(spec)) is not available: Liege logs to \"file:PATH\", \"stdio\" or \"syslog[:IDENT[,FACILITY]]\" (use a local syslog daemon to forward elsewhere)"))
        }
    }

    /// `log-route = NAME REGEX`: the name and the pattern.
    static func route(_ text: String) -> Result<LogRoute, ValueError> {
        let trimmed = IniReader.trim(text)
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return .failure(ValueError("expects a logger name and a regular expression (log-route = errors ERROR), got \(Quoted.text(trimmed))"))
        }
        let pattern = IniReader.trim(trimmed[space...])
        do {
            _ = try Regex(pattern)
        } catch {
            return .failure(ValueError("has a regular expression that does not compile: \(Quoted.text(pattern))"))
        }
        return .success(LogRoute(logger: String(trimmed[..<space]), pattern: pattern))
    }
}

/// One `log-route` value: lines matching `pattern` go to the logger called `logger`.
public struct LogRoute: Sendable, Equatable {
    public var logger: String
    public var pattern: String
}
