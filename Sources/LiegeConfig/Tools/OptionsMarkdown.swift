/// docs/options.md, generated from the registry (`liege --print-options-markdown`).
public enum OptionsMarkdown {
    public static func render() -> String {
        var text = """
        # Liege options

        Generated from the option registry by `liege --print-options-markdown`; do not edit by hand.
        See [config.md](config.md) for the config language. Types: `bool` (true/false, yes/no, on/off, 1/0),
        `int`, `secs`, `ms`, `MB` (whole numbers, never negative), `bytes` (a number with an optional `K`, `M`
        or `G`), `addr` (`host:port`, `:port`, `[v6]:port`, `/path`, `@abstract`), `octal` (three digits),
        `k=v`, `path`, `user`, `string`. *list* options may be given many times and accumulate; for the
        others the last value wins.

        """
        for group in OptionRegistry.groups {
            text += "\n## \(group.title)\n\n"
            text += "| option | aliases | type | default | meaning |\n|---|---|---|---|---|\n"
            for spec in group.options {
                let aliases = (spec.aliases + spec.noticeAliases.keys.sorted()).map { "`\($0)`" }.joined(separator: ", ")
                var type = spec.type.displayName
                if spec.repeatable { type += " *list*" }
                var defaultText = spec.defaultValue.map { "`\($0)`" } ?? ""
                if let bare = spec.bareValue, spec.type != .bool, !bare.isEmpty { defaultText += (defaultText.isEmpty ? "" : "; ") + "bare: `\(bare)`" }
                let help = spec.help.replacing("|", with: "\\|")
                text += "| `\(spec.name)` | \(aliases) | \(type) | \(defaultText) | \(help) |\n"
            }
        }
        return text
    }
}
