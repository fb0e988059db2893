import LiegeSystem

/// The config tools of the command line: `--print-config`, `--check-config`, `--help`, `--version`,
/// `--print-options-markdown` (writes docs/options.md).
public enum ConfigCommand {
    static let tools = ["--print-config", "--check-config", "--help", "-h", "--version", "--print-options-markdown"]

    /// True when `arguments` ask for one of these tools rather than for running a master.
    public static func handles(_ arguments: [String]) -> Bool {
        arguments.contains { tools.contains($0) }
    }

    /// Runs the tool; returns the process exit status. Output goes to stdout, errors to stderr.
    public static func run(arguments: [String], environment: [String: String], workingDirectory: String) -> Int32 {
        let host = HostFacts.current(environment: environment, workingDirectory: workingDirectory)
        let result = run(arguments: arguments, host: host)
        if !result.output.isEmpty { try? Posix.writeAll(1, result.output) }
        if !result.errorOutput.isEmpty { writeStandardError(result.errorOutput) }
        return result.status
    }

    /// What a tool printed and its exit status.
    public struct Result: Sendable, Equatable {
        public var status: Int32
        public var output: String
        public var errorOutput: String
    }

    /// Runs the tool with injected host facts, returning what it would print.
    public static func run(arguments: [String], host: HostFacts) -> Result {
        if arguments.contains("--help") || arguments.contains("-h") {
            return Result(status: 0, output: HelpText.render(), errorOutput: "")
        }
        if arguments.contains("--version") {
            return Result(status: 0, output: "liege \(LiegeVersion.string)\n", errorOutput: "")
        }
        if arguments.contains("--print-options-markdown") {
            return Result(status: 0, output: OptionsMarkdown.render(), errorOutput: "")
        }
        let printing = arguments.contains("--print-config")
        let sources = arguments.filter { !tools.contains($0) }
        let outcome = ConfigLoader(host: host).load(sources)
        var errorOutput = outcome.warnings.map { "warning: \($0)\n" }.joined()
        guard let config = outcome.config else {
            errorOutput += outcome.errors.map { "\($0)\n" }.joined()
            return Result(status: 1, output: "", errorOutput: errorOutput)
        }
        return Result(status: 0, output: printing ? PrintedConfig.render(config) : "", errorOutput: errorOutput)
    }
}
