/// `liege --help`: usage, then every option of the registry by chapter.
enum HelpText {
    static func render() -> String {
        var text = """
        Usage: liege [--ini FILE | --yaml FILE | FILE.ini | FILE.yaml] [--OPTION VALUE ...]
               liege --print-config ARGS     print the expanded configuration
               liege --check-config ARGS     check the configuration (exit 1 with every error)
               liege --print-options-markdown
               liege --version

        Options are read left to right; a later value of a scalar option wins, list options (+)
        accumulate. Every option also works as `name = value` in INI and `name: value` in YAML.

        """
        for group in OptionRegistry.groups {
            text += "\n\(group.title):\n"
            for spec in group.options {
                var left = "  --\(spec.name)"
                if !spec.type.metavariable.isEmpty, spec.bareValue != "" { left += spec.bareValue == nil ? " \(spec.type.metavariable)" : " [\(spec.type.metavariable)]" }
                if spec.repeatable { left += " (+)" }
                var help = spec.help
                if !spec.aliases.isEmpty { help += "; also " + spec.aliases.map { "--\($0)" }.joined(separator: ", ") }
                if let value = spec.defaultValue { help += " [default: \(value)]" }
                let padding = left.count < 34 ? String(repeating: " ", count: 34 - left.count) : "\n" + String(repeating: " ", count: 34)
                text += left + padding + help + "\n"
            }
        }
        return text
    }
}
