// PLACEHOLDER BODY, replaced by the config work: signature is the contract.
extension Config {
    /// Loads every source named in `arguments` (`--ini a.ini`, `--yaml b.yaml`, `a.ini`, `--processes 4`, ...),
    /// expands placeholders and validates into a `Config`, or throws every error found.
    public static func load(
        arguments: [String], environment: [String: String], workingDirectory: String
    ) throws(ConfigErrors) -> Config {
        var entries: [ConfigEntry] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { index += 1; continue }
            let key = String(argument.dropFirst(2))
            if let eq = key.firstIndex(of: "=") {
                entries.append(ConfigEntry(key: String(key[..<eq]), value: String(key[key.index(after: eq)...])))
                index += 1
            } else if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                entries.append(ConfigEntry(key: key, value: arguments[index + 1]))
                index += 2
            } else {
                entries.append(ConfigEntry(key: key, value: "true"))
                index += 1
            }
        }
        return Config(entries: entries, name: "liege", sourceFile: nil, arguments: arguments)
    }

    /// The resolved entries as text the worker reads back with `init(serialized:)` (no re-expansion).
    public func serialized() -> String {
        var lines = ["name=\(name)", "source=\(sourceFile ?? "")"]
        for entry in entries { lines.append("\(entry.key)=\(entry.value)") }
        return lines.joined(separator: "\n")
    }

    public init(serialized text: String) {
        var entries: [ConfigEntry] = []
        var name = "liege"
        var source: String?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]), value = String(line[line.index(after: eq)...])
            if i == 0 { name = value } else if i == 1 { source = value.isEmpty ? nil : value } else {
                entries.append(ConfigEntry(key: key, value: value))
            }
        }
        self.init(entries: entries, name: name, sourceFile: source, arguments: [])
    }
}
