import LiegeSystem

/// A tiny JSON writer for the stats document (keys in the order written, strings escaped).
struct JSONText {
    enum Value {
        case string(String)
        case int(Int)
        case strings([String])
    }

    private(set) var text = ""
    private var needsComma = false

    mutating func open(_ bracket: Character) {
        if needsComma { text += "," }
        text.append(bracket)
        needsComma = false
    }

    mutating func close(_ bracket: Character) {
        text.append(bracket)
        needsComma = true
    }

    mutating func key(_ name: String) {
        if needsComma { text += "," }
        text += Self.quoted(name) + ":"
        needsComma = false
    }

    mutating func field(_ name: String, _ value: Value) {
        key(name)
        switch value {
        case .string(let string): text += Self.quoted(string)
        case .int(let number): text += String(number)
        case .strings(let strings): text += "[" + strings.map(Self.quoted).joined(separator: ",") + "]"
        }
        needsComma = true
    }

    static func quoted(_ string: String) -> String {
        JSONString.quoted(string)
    }
}
