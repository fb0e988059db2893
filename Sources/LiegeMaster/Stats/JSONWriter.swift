import LiegeSystem

/// Writes the stats JSON in key order, pretty (two-space indent, as uWSGI) or minified.
struct JSONWriter {
    enum Value {
        case string(String)
        case int(Int)
    }

    private(set) var text = ""
    private let pretty: Bool
    private var depth = 0
    private var needsComma = false

    init(pretty: Bool) {
        self.pretty = pretty
    }

    mutating func open(_ key: String? = nil, _ bracket: Character) {
        startValue(key)
        text.append(bracket)
        depth += 1
        needsComma = false
    }

    mutating func close(_ bracket: Character) {
        depth -= 1
        if pretty, needsComma { newline() }
        text.append(bracket)
        needsComma = true
    }

    mutating func field(_ key: String?, _ value: Value) {
        startValue(key)
        switch value {
        case .string(let string): text += Self.quoted(string)
        case .int(let number): text += String(number)
        }
        needsComma = true
    }

    mutating func field(_ key: String, _ number: Int) { field(key, .int(number)) }
    mutating func field(_ key: String, _ string: String) { field(key, .string(string)) }

    private mutating func startValue(_ key: String?) {
        if needsComma { text += "," }
        if pretty, depth > 0 { newline() }
        if let key { text += Self.quoted(key) + (pretty ? ": " : ":") }
    }

    private mutating func newline() {
        text += "\n" + String(repeating: "  ", count: depth)
    }

    static func quoted(_ string: String) -> String {
        JSONString.quoted(string)
    }
}
