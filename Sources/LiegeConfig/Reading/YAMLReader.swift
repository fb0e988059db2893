/// Reads the `uwsgi:` and `liege:` mappings (or the key picked with `F:SECTION`) of a YAML text.
/// Values are scalars or sequences of scalars (= the option repeated); duplicate keys apply in order.
enum YAMLReader {
    /// Guards against alias bombs (a sequence alias repeated many times).
    static let maximumEntries = 100_000

    static func read(_ bytes: [UInt8], file: FileContext) -> IniReader.Result {
        var result = IniReader.Result()
        let root: YAMLNode?
        do {
            root = try YAMLTreeBuilder.build(bytes)
        } catch {
            result.errors.append(ConfigError(location: "\(file.displayPath):\(error.line):\(error.column)", message: error.message))
            return result
        }
        func fail(_ node: YAMLNode?, _ message: String) {
            result.errors.append(error(at: node, file: file, message))
        }
        guard case let .mapping(pairs, _, _)? = root else {
            fail(root, "the top level must be a mapping with a \"uwsgi:\" key")
            return result
        }
        let wanted: Set<String> = file.section.isEmpty ? IniReader.defaultSections : [file.section]
        var found: [String] = []
        var matched = false
        for (key, value) in pairs {
            guard case let .scalar(name, _, _, _) = key else { continue }
            found.append(name)
            guard wanted.contains(name) else { continue }
            matched = true
            switch value {
            case let .mapping(options, _, _):
                for (optionKey, optionValue) in options { read(optionKey, optionValue, file: file, into: &result) }
            case let .scalar(text, plain, _, _) where text.isEmpty && plain:
                continue
            default:
                fail(value, "\"\(name):\" must hold a mapping of options")
            }
        }
        if !matched {
            let wantedText = file.section.isEmpty ? "\"uwsgi:\" or \"liege:\" key" : "\"\(file.section):\" key"
            let foundText = found.isEmpty ? "none" : found.map { "\"\($0)\"" }.joined(separator: ", ")
            fail(root, "no \(wantedText) at the top level (keys found: \(foundText))")
        }
        return result
    }

    private static func read(
        _ key: YAMLNode, _ value: YAMLNode, file: FileContext, into result: inout IniReader.Result
    ) {
        func fail(_ node: YAMLNode, _ message: String) {
            result.errors.append(error(at: node, file: file, message))
        }
        guard case let .scalar(name, _, line, column) = key else {
            fail(key, "option names must be plain text")
            return
        }
        let location = "\(file.displayPath):\(line):\(column)"
        switch value {
        case let .scalar(text, plain, _, _):
            let bare = plain && text.isEmpty
            result.entries.append(RawEntry(key: name, value: bare ? "true" : text, location: location, isBare: bare, file: file))
        case let .sequence(items, _, _):
            guard result.entries.count + items.count <= maximumEntries else {
                fail(value, "more than \(maximumEntries) values in one file")
                return
            }
            for item in items {
                guard case let .scalar(text, _, itemLine, itemColumn) = item else {
                    fail(item, "\"\(name)\": list items must be plain values")
                    continue
                }
                result.entries.append(RawEntry(key: name, value: text, location: "\(file.displayPath):\(itemLine):\(itemColumn)", file: file))
            }
        case .mapping:
            fail(value, "\"\(name)\" holds a nested mapping; values must be scalars or lists of scalars")
        }
    }

    private static func error(at node: YAMLNode?, file: FileContext, _ message: String) -> ConfigError {
        let (line, column) = node?.position ?? (1, 1)
        return ConfigError(location: "\(file.displayPath):\(line):\(column)", message: message)
    }
}
