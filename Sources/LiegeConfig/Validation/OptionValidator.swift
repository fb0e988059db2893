/// Checks a value against its option's type and returns it in canonical form: booleans as
/// `true`/`false`, numbers in decimal, sizes in bytes, `http-keepalive = true` as `5`.
enum OptionValidator {
    static let booleans: [String: Bool] = [
        "true": true, "yes": true, "on": true, "1": true, "false": false, "no": false, "off": false, "0": false,
    ]

    /// The canonical value, or the message explaining why `value` is wrong.
    static func normalize(_ value: String, for spec: OptionSpec) -> Result<String, ValueError> {
        let value = spec.valueWords[value.lowercased()] ?? value
        let name = spec.name
        switch spec.type {
        case .string:
            return .success(value)
        case .bool:
            guard let flag = booleans[value.lowercased()] else {
                return .failure(ValueError("\"\(name)\" expects a boolean (true/false, yes/no, on/off, 1/0), got \(Quoted.text(value))"))
            }
            return .success(flag ? "true" : "false")
        case .int, .seconds, .milliseconds, .megabytes:
            return integer(value, spec: spec, multiplier: 1)
        case .bytes:
            let suffixes: [Character: Int] = ["k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024]
            if let last = value.last?.lowercased().first, let multiplier = suffixes[last] {
                return integer(String(value.dropLast()), spec: spec, multiplier: multiplier, shown: value)
            }
            return integer(value, spec: spec, multiplier: 1)
        case .path, .user:
            guard !value.isEmpty else { return .failure(ValueError("\"\(name)\" needs a value")) }
            return .success(value)
        case .address:
            guard SocketAddressSyntax.isValid(value) else {
                var message = "\"\(name)\" expects a socket address (host:port, :port, [v6]:port, /path or @name), got \(Quoted.text(value))"
                if !value.isEmpty, value.allSatisfy(\.isASCIIDigit) { message += " (did you mean \":\(value)\"?)" }
                return .failure(ValueError(message))
            }
            return .success(value)
        case .octal:
            guard value.count == 3, value.allSatisfy({ ("0"..."7").contains($0) }) else {
                return .failure(ValueError("\"\(name)\" expects three octal digits (like 660), got \(Quoted.text(value))"))
            }
            return .success(value)
        case .keyValue:
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                return .failure(ValueError("\"\(name)\" expects name=value, got \(Quoted.text(value))"))
            }
            return .success(value)
        }
    }

    private static func integer(_ text: String, spec: OptionSpec, multiplier: Int, shown: String? = nil) -> Result<String, ValueError> {
        let shown = shown ?? text
        let name = spec.name
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
            let kind = spec.type == .bytes ? "a size in bytes (like 65535, 64K, 1M)" : "a whole number"
            return .failure(ValueError("\"\(name)\" expects \(kind), got \(Quoted.text(shown))"))
        }
        guard !text.hasPrefix("-") || digits.allSatisfy({ $0 == "0" }) else {
            return .failure(ValueError("\"\(name)\" must not be negative, got \(Quoted.text(shown))"))
        }
        let limit = spec.range ?? 0...Int(Int32.max)
        guard let number = Int(digits), case let (product, false) = number.multipliedReportingOverflow(by: multiplier),
              limit.contains(product) else {
            return .failure(ValueError("\"\(name)\" must be between \(limit.lowerBound) and \(limit.upperBound), got \(Quoted.text(shown))"))
        }
        return .success(String(product))
    }
}
