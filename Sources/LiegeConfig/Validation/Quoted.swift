/// User text inside messages: quoted, on one line (control characters escaped), and cut short when
/// huge (a 1 MB line should not become a 1 MB error).
enum Quoted {
    static let maximumLength = 80

    static func text<S: StringProtocol>(_ text: S) -> String {
        let shown = Substring(text).prefix(maximumLength)
        var out = "\""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return shown.count < text.count ? out + "... (\(text.utf8.count) bytes)" : out
    }
}
