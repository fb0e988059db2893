extension OptionRegistry {
    /// Options that load other files, declare placeholders, or make the reader strict.
    static let configOptions: [OptionSpec] = [
        OptionSpec("ini", type: .path, repeatable: true,
                   help: "read an INI file (`F:SECTION` picks a section; `:SECTION` = this file) here",
                   role: .directive),
        OptionSpec("yaml", aliases: ["yml"], type: .path, repeatable: true,
                   help: "read a YAML file (`F:SECTION` picks a section) here", role: .directive),
        OptionSpec("include", type: .path, repeatable: true,
                   help: "read a file here, INI or YAML by its extension", role: .directive),
        OptionSpec("inherit", type: .path, repeatable: true,
                   help: "read a file after the rest of the including file", role: .directive),
        OptionSpec("set", type: .keyValue, repeatable: true,
                   help: "set option or placeholder `k` to `v`", role: .directive),
        OptionSpec("set-placeholder", aliases: ["set-ph"], type: .keyValue, repeatable: true,
                   help: "declare placeholder `k` with value `v` (`k` must not be an option)", role: .directive),
        OptionSpec("strict", type: .bool, help: "every key that is not an option or declared placeholder is an error"),
    ]

    /// Non-nesting blocks, evaluated while reading.
    static let logicOptions: [OptionSpec] = [
        OptionSpec("for", type: .string, repeatable: true,
                   help: "repeat the lines up to `endfor` once per space-separated item, as `%(_)`", role: .directive),
        OptionSpec("for-glob", type: .path, repeatable: true,
                   help: "repeat the lines up to `endfor` once per path matching the pattern, as `%(_)`", role: .directive),
        OptionSpec("for-readline", type: .path, repeatable: true,
                   help: "repeat the lines up to `endfor` once per non-empty line of the file, as `%(_)`", role: .directive),
        OptionSpec("endfor", type: .string, repeatable: true, help: "end a `for` block", bareValue: "", role: .directive),
        OptionSpec("if-env", type: .string, repeatable: true,
                   help: "keep the lines up to `endif` if variable `N` is set and not empty (`N=V`: equals V)",
                   role: .directive),
        OptionSpec("if-not-env", type: .string, repeatable: true,
                   help: "keep the lines up to `endif` if variable `N` is unset or empty (`N=V`: differs)",
                   role: .directive),
        OptionSpec("if-exists", type: .path, repeatable: true,
                   help: "keep the lines up to `endif` if the path exists", role: .directive),
        OptionSpec("if-not-exists", type: .path, repeatable: true,
                   help: "keep the lines up to `endif` if the path does not exist", role: .directive),
        OptionSpec("if-file", type: .path, repeatable: true,
                   help: "keep the lines up to `endif` if the path is a regular file", role: .directive),
        OptionSpec("if-dir", type: .path, repeatable: true,
                   help: "keep the lines up to `endif` if the path is a directory", role: .directive),
        OptionSpec("if-opt", type: .string, repeatable: true,
                   help: "keep the lines up to `endif` if option `o` is set so far (`o=v`: its value is v)",
                   role: .directive),
        OptionSpec("endif", type: .string, repeatable: true, help: "end an `if-...` block", bareValue: "",
                   role: .directive),
    ]
}
