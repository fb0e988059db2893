/// The text the master hands to each worker: one line per field, values escaped (`\\`, `\n`, `\r`)
/// so any value round-trips exactly; nothing is expanded again when read back.
extension Config {
    public func serialized() -> String {
        var lines = ["@name=" + Self.escape(name)]
        if let sourceFile { lines.append("@source=" + Self.escape(sourceFile)) }
        for argument in arguments { lines.append("@argument=" + Self.escape(argument)) }
        for entry in entries { lines.append(Self.escape(entry.key) + "=" + Self.escape(entry.value)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public init(serialized text: String) {
        var entries: [ConfigEntry] = []
        var name = "liege"
        var source: String?
        var arguments: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = Self.unescape(line[..<equals]), value = Self.unescape(line[line.index(after: equals)...])
            switch key {
            case "@name": name = value
            case "@source": source = value
            case "@argument": arguments.append(value)
            default: entries.append(ConfigEntry(key: key, value: value))
            }
        }
        self.init(entries: entries, name: name, sourceFile: source, arguments: arguments)
    }

    private static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var out = ""
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                out.unicodeScalars.append(scalar == "n" ? "\n" : scalar == "r" ? "\r" : scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
