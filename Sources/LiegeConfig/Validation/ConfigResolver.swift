/// Turns the assembled entries into the final ones: expands every value against all the others,
/// tells placeholders from typos, and validates each option's value against its type.
struct ConfigResolver {
    static let maximumUnknownReported = 100

    let host: HostFacts
    let mainFile: FileContext?

    struct Output {
        var entries: [ConfigEntry] = []
        /// The typed value of each entry, in the same order.
        var values: [(name: String, value: any Sendable)] = []
        var errors: [ConfigError] = []
        var warnings: [String] = []
    }

    func resolve(_ raw: [RawEntry]) -> Output {
        var output = Output()
        let table = PlaceholderTable.build(entries: raw, host: host, mainFile: mainFile)
        var noticed: Set<String> = []
        var locations: [String] = []   // of each resolved entry
        for entry in raw {
            guard let spec = OptionRegistry.spec(named: entry.key), spec.role == .setting else { continue }
            if let notice = spec.noticeAliases[entry.key], noticed.insert(entry.key).inserted {
                output.warnings.append("\(entry.location): \(notice)")
            }
            guard let value = value(of: entry, spec: spec, table: table, errors: &output.errors) else { continue }
            switch spec.parse(value) {
            case let .success(parsed):
                if spec.expansion == .keepsRequestVariables {
                    output.warnings += LogVariableCheck.warnings(parsed.text).map { "\(entry.location): \($0)" }
                }
                output.entries.append(ConfigEntry(key: spec.name, value: parsed.text))
                output.values.append((spec.name, parsed.value))
                locations.append(entry.location)
            case let .failure(problem):
                output.errors.append(ConfigError(location: entry.location, message: problem.message))
            }
        }
        for check in OptionRegistry.relationChecks {
            for problem in check(output.entries) {
                let entry = raw.last { OptionRegistry.spec(named: $0.key)?.name == problem.option }
                output.errors.append(ConfigError(location: entry?.location ?? mainFile?.displayPath ?? "command line",
                                                 message: problem.message))
            }
        }
        for check in OptionRegistry.entryChecks {
            for problem in check(output.entries) {
                output.errors.append(ConfigError(location: locations[problem.index], message: problem.message))
            }
        }
        let strict = output.entries.last { $0.key == "strict" }?.value == "true"
        var unknown = 0
        for entry in raw where OptionRegistry.spec(named: entry.key) == nil && !entry.isDeclared {
            guard strict || !table.referenced.contains(entry.key) else { continue }
            unknown += 1
            guard unknown <= Self.maximumUnknownReported else { continue }
            var message = "unknown option \(Quoted.text(entry.key))"
            if let suggestion = OptionRegistry.suggestion(for: entry.key) {
                message += " (did you mean \"\(suggestion)\"?)"
            } else if strict, table.referenced.contains(entry.key) {
                message += " (strict mode: declare placeholders with \"set-placeholder\")"
            }
            output.errors.append(ConfigError(location: entry.location, message: message))
        }
        // A placeholder cycle is an error even when no option uses the placeholder (the used ones were
        // expanded above, their errors reported there). After the unknown keys: a look-up marks a name used.
        let used = table.referenced
        for entry in raw where entry.isDeclared && OptionRegistry.spec(named: entry.key) == nil && !used.contains(entry.key) {
            do {
                _ = try table.value(of: entry.key)
            } catch where error.message.hasPrefix("placeholder cycle") {
                output.errors.append(ConfigError(location: entry.location, message: error.message))
            } catch {}
        }
        output.errors = Self.inReadingOrder(output.errors, raw)
        if unknown > Self.maximumUnknownReported {
            output.errors.append(ConfigError(location: mainFile?.displayPath ?? "command line",
                                             message: "\(unknown - Self.maximumUnknownReported) more unknown options not shown"))
        }
        return output
    }

    /// The expanded text of one option entry, nil when it cannot be had (error recorded).
    private func value(of entry: RawEntry, spec: OptionSpec, table: PlaceholderTable, errors: inout [ConfigError]) -> String? {
        if entry.isBare {
            guard let bare = spec.bareValue else {
                errors.append(ConfigError(location: entry.location, message: "\"\(spec.name)\" needs a value"))
                return nil
            }
            return bare
        }
        do {
            return try table.expand(entry.value, file: entry.file, mode: spec.expansion)
        } catch {
            errors.append(ConfigError(location: entry.location, message: error.message))
            return nil
        }
    }

    /// Errors in the order their entries were read (stable).
    private static func inReadingOrder(_ errors: [ConfigError], _ raw: [RawEntry]) -> [ConfigError] {
        var position: [String: Int] = [:]
        for (index, entry) in raw.enumerated() where position[entry.location] == nil { position[entry.location] = index }
        return errors.enumerated()
            .sorted { (position[$0.element.location] ?? Int.max, $0.offset) < (position[$1.element.location] ?? Int.max, $1.offset) }
            .map(\.element)
    }
}
