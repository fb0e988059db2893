// PLACEHOLDER BODY, replaced by the config work: signatures are the contract.
/// The config tools of the command line: `--print-config`, `--check-config`, `--help`, `--version`,
/// `--print-options-markdown` (writes docs/options.md).
public enum ConfigCommand {
    /// True when `arguments` ask for one of these tools rather than for running a master.
    public static func handles(_ arguments: [String]) -> Bool {
        arguments.contains { ["--print-config", "--check-config", "--help", "-h", "--version", "--print-options-markdown"].contains($0) }
    }

    /// Runs the tool; returns the process exit status. Output goes to stdout, errors to stderr.
    public static func run(arguments: [String], environment: [String: String], workingDirectory: String) -> Int32 {
        print("liege 0.1.0")
        return 0
    }
}
