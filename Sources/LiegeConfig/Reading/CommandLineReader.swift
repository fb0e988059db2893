/// Turns arguments into entries: `--name value`, `--name=value`, bare `--name` (booleans and options
/// with a bare value), and a bare `F.ini` / `F.yaml` / `F.yml` (read in place, like `--ini F`).
enum CommandLineReader {
    static func read(_ arguments: [String]) -> (entries: [RawEntry], errors: [ConfigError]) {
        var entries: [RawEntry] = []
        var errors: [ConfigError] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                if isUnsupportedFormat(argument) {
                    errors.append(ConfigError(location: "command line: \(argument)", message: unsupportedMessage))
                } else if let kind = configKind(of: argument) {
                    entries.append(RawEntry(key: kind, value: argument, location: "command line: \(argument)"))
                } else {
                    errors.append(ConfigError(location: "command line: \(argument)", message: "unexpected argument (options start with \"--\"; config files end in .ini, .yaml or .yml)"))
                }
                continue
            }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                let key = String(body[..<equals])
                entries.append(RawEntry(key: key, value: String(body[body.index(after: equals)...]), location: "command line: --\(key)"))
                continue
            }
            let key = String(body)
            let location = "command line: \(argument)"
            if ["json", "js", "xml"].contains(key) {
                errors.append(ConfigError(location: location, message: unsupportedMessage))
                index += 1
                continue
            }
            let next = index < arguments.count ? arguments[index] : nil
            if let next, takesValue(key, next: next) {
                entries.append(RawEntry(key: key, value: next, location: location))
                index += 1
            } else if OptionRegistry.spec(named: key)?.bareValue != nil {
                entries.append(RawEntry(key: key, value: "true", location: location, isBare: true))
            } else if OptionRegistry.spec(named: key) == nil {
                entries.append(RawEntry(key: key, value: "true", location: location, isBare: true))
            } else {
                errors.append(ConfigError(location: location, message: "needs a value"))
            }
        }
        return (entries, errors)
    }

    /// Whether `--key` takes `next` as its value.
    private static func takesValue(_ key: String, next: String) -> Bool {
        guard let spec = OptionRegistry.spec(named: key) else { return !next.hasPrefix("--") }
        if spec.type == .bool { return OptionValidator.booleans[next.lowercased()] != nil }
        if spec.bareValue == "" { return false }
        if spec.bareValue != nil { return !next.hasPrefix("-") && configKind(of: next) == nil }
        return true
    }

    static let unsupportedMessage = "JSON and XML configs are not supported (use INI or YAML)"

    /// A `.json`, `.js` or `.xml` config (uWSGI reads them; Liege does not).
    static func isUnsupportedFormat(_ path: String) -> Bool {
        let name = PathText.lastComponent(path.split(separator: ":").first.map(String.init) ?? path)
        return ["json", "js", "xml"].contains(PathText.splitExtension(name).ext.lowercased())
    }

    /// "ini" or "yaml" for a bare config file argument (`app.ini`, `app.yaml:prod`), else nil.
    static func configKind(of argument: String) -> String? {
        guard !argument.hasPrefix("-") else { return nil }
        for candidate in [argument, String(argument[..<(argument.lastIndex(of: ":") ?? argument.endIndex)])] {
            let ext = PathText.splitExtension(PathText.lastComponent(candidate)).ext.lowercased()
            if ext == "ini" { return "ini" }
            if ext == "yaml" || ext == "yml" { return "yaml" }
        }
        return nil
    }
}
