import LiegeSystem

/// Loads a `Config` from arguments with injected host facts (so tests control environment, clock,
/// hostname...), returning the warnings instead of printing them.
public struct ConfigLoader: Sendable {
    public struct Outcome: Sendable {
        /// The config, when there were no errors.
        public var config: Config?
        public var errors: [ConfigError]
        /// Notices for the user (`http` read as `http-socket`, dropped trailing comments).
        public var warnings: [String]
    }

    public var host: HostFacts
    /// Errors shown at most; the rest are counted.
    public static let maximumErrors = 200

    public init(host: HostFacts) {
        self.host = host
    }

    public func load(_ arguments: [String]) -> Outcome {
        var assembler = SourceAssembler(host: host)
        assembler.read(arguments: arguments)
        let resolved = ConfigResolver(host: host, mainFile: assembler.mainFile).resolve(assembler.entries)
        var errors: [ConfigError] = []
        var seen: Set<String> = []
        for error in assembler.errors + resolved.errors where seen.insert(error.description).inserted { errors.append(error) }
        errors = ErrorOrder.sorted(errors, sourcesInOrder: assembler.sourcesInOrder)
        if errors.count > Self.maximumErrors {
            let hidden = errors.count - Self.maximumErrors
            errors = Array(errors.prefix(Self.maximumErrors))
            errors.append(ConfigError(location: assembler.mainFile?.displayPath ?? "command line", message: "\(hidden) more errors not shown"))
        }
        let warnings = assembler.warnings + resolved.warnings
        guard errors.isEmpty else { return Outcome(config: nil, errors: errors, warnings: warnings) }
        let main = assembler.mainFile
        let name = main.map { PathText.splitExtension(PathText.lastComponent($0.absolutePath)).stem } ?? "liege"
        let config = Config(entries: resolved.entries, parsed: ParsedEntries(resolved.values), name: name,
                            sourceFile: main?.absolutePath, arguments: arguments)
        return Outcome(config: config, errors: [], warnings: warnings)
    }
}

extension Config {
    /// Loads every source named in `arguments` (`--ini a.ini`, `--yaml b.yaml`, `a.ini`, `--processes 4`, ...),
    /// expands placeholders and validates into a `Config`, or throws every error found.
    /// Warnings (notices) go to stderr.
    public static func load(
        arguments: [String], environment: [String: String], workingDirectory: String
    ) throws(ConfigErrors) -> Config {
        let host = HostFacts.current(environment: environment, workingDirectory: workingDirectory)
        let outcome = ConfigLoader(host: host).load(arguments)
        if !outcome.warnings.isEmpty {
            writeStandardError(outcome.warnings.map { "warning: \($0)\n" }.joined())
        }
        guard let config = outcome.config else { throw ConfigErrors(outcome.errors) }
        return config
    }
}
