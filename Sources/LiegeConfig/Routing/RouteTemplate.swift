/// The text of a routing action (`redirect:https://x${REQUEST_URI}`, `rewrite:/index.php?p=$1`),
/// split once at load time into literal bytes, regex captures and request variables.
public struct RouteTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text([UInt8])
        /// `$0` (the whole match) to `$9`: a group of the rule's regex; empty when there is none.
        case capture(Int)
        /// `${NAME}`: a CGI variable of the request (`PATH_INFO`, `HTTP_HOST`...); empty when missing.
        case variable(String)
        /// `${qs[page]}`, `${cookie[session]}`, `${lower[HTTP_HOST]}`...
        case function(RouteFunction, argument: String)
    }

    public var pieces: [Piece]

    /// The bytes, when the template has no capture and no variable.
    public var literal: [UInt8]? {
        var bytes: [UInt8] = []
        for piece in pieces {
            guard case .text(let text) = piece else { return nil }
            bytes += text
        }
        return bytes
    }

    public var isEmpty: Bool { pieces.isEmpty }

    public init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// Parses `text`; the message names what is wrong (an unknown `${name[...]}` function).
    public static func parse(_ text: String) -> Result<RouteTemplate, RouteProblem> {
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { pieces.append(.text(literal)) }
            literal.removeAll()
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : nil
            if byte == UInt8(ascii: "$"), let next, next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                flush()
                pieces.append(.capture(Int(next - UInt8(ascii: "0"))))
                index += 2
            } else if byte == UInt8(ascii: "$"), next == UInt8(ascii: "{"),
                      let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                flush()
                let key = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
                switch variable(key) {
                case .success(let piece): pieces.append(piece)
                case .failure(let problem): return .failure(problem)
                }
                index = close + 1
            } else {
                literal.append(byte)
                index += 1
            }
        }
        flush()
        return .success(RouteTemplate(pieces: pieces))
    }

    /// `NAME` or `function[argument]`.
    private static func variable(_ key: String) -> Result<Piece, RouteProblem> {
        guard key.hasSuffix("]"), let bracket = key.firstIndex(of: "[") else { return .success(.variable(key)) }
        let name = String(key[..<bracket])
        let argument = String(key[key.index(after: bracket)..<key.index(before: key.endIndex)])
        guard let function = RouteFunction(rawValue: name) else {
            let known = RouteFunction.allCases.map(\.rawValue)
            return .failure(RouteProblem("uses the routing variable \(RouteNames.quoted("${\(key)}")), but Liege has no \(RouteNames.quoted(name)) function"
                + RouteNames.suggestion(name, among: known, otherwise: "Liege has: \(known.joined(separator: ", "))")))
        }
        return .success(.function(function, argument: argument))
    }
}

/// The `${name[argument]}` functions Liege provides (uWSGI's routing vars).
public enum RouteFunction: String, Sendable, CaseIterable {
    /// The value of one query-string parameter.
    case qs
    /// The value of one cookie.
    case cookie
    /// A request variable in lower or upper case.
    case lower, upper
    /// `time[unix]`: seconds since the epoch.
    case time
    /// `httptime[N]`: an HTTP date N seconds from now (empty: now).
    case httptime
}

/// Why a routing rule does not parse: the text that follows the option name in the config error.
public struct RouteProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Helpers shared by the routing parsers: quoting and did-you-mean suggestions.
enum RouteNames {
    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// ` (did you mean "x"?)` for a near name, else ` (otherwise)` (or nothing).
    static func suggestion(_ name: String, among candidates: [String], otherwise: String? = nil) -> String {
        let limit = max(1, min(3, name.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.between(name, candidate)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        if let best, best.distance <= limit { return " (did you mean \(quoted(best.name))?)" }
        return otherwise.map { " (\($0))" } ?? ""
    }
}
