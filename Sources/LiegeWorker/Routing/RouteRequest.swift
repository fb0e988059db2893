import LiegeConfig
import LiegeHTTP

/// The request as the routing table sees and changes it: its CGI variables (bytes), the captures of
/// the last regex that matched, and the clock for `${time[unix]}` and `${httptime[N]}`.
struct RouteRequest {
    var variables: [(name: String, value: [UInt8])]
    /// `$0`...`$9` of the rule being run.
    var captures: [[UInt8]] = []
    var now: Int

    func value(_ name: String) -> [UInt8]? {
        variables.first { $0.name == name }?.value
    }

    /// Replaces the variable (or adds it at the end).
    mutating func set(_ name: String, _ value: [UInt8]) {
        if let index = variables.firstIndex(where: { $0.name == name }) {
            variables[index].value = value
        } else {
            variables.append((name, value))
        }
    }

    /// The template's bytes for this request.
    func expand(_ template: RouteTemplate) -> [UInt8] {
        if case .text(let text)? = template.pieces.first, template.pieces.count == 1 { return text }
        var output: [UInt8] = []
        for piece in template.pieces {
            switch piece {
            case .text(let text): output += text
            case .capture(let number): if number < captures.count { output += captures[number] }
            case .variable(let name): output += value(name) ?? []
            case .function(let function, let argument): output += call(function, argument)
            }
        }
        return output
    }

    private func call(_ function: RouteFunction, _ argument: String) -> [UInt8] {
        switch function {
        case .qs:
            return Self.field(argument, in: value("QUERY_STRING") ?? [], separator: UInt8(ascii: "&"))
        case .cookie:
            return Self.field(argument, in: value("HTTP_COOKIE") ?? [], separator: UInt8(ascii: ";"))
        case .lower:
            return (value(argument) ?? []).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        case .upper:
            return (value(argument) ?? []).map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        case .time:
            return argument == "unix" ? Array(String(now).utf8) : []
        case .httptime:
            return HTTPDate.bytes(epochSeconds: now + (Int(argument) ?? 0))
        }
    }

    /// The value of `name` in `a=1&b=2` (or `a=1; b=2`), the first one; empty when absent.
    private static func field(_ name: String, in list: [UInt8], separator: UInt8) -> [UInt8] {
        let wanted = Array(name.utf8)
        for part in list.split(separator: separator, omittingEmptySubsequences: true) {
            let item = part.drop { $0 == 0x20 }
            let equals = item.firstIndex(of: UInt8(ascii: "=")) ?? item.endIndex
            if item[..<equals].elementsEqual(wanted) {
                return equals == item.endIndex ? [] : Array(item[item.index(after: equals)...])
            }
        }
        return []
    }
}
