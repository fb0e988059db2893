import LiegeSystem

/// Reads every source named on the command line into one ordered list of entries: follows includes
/// (`ini`, `yaml`, `include` in place; `inherit` after the including file), runs the logic blocks,
/// and turns `set`/`set-placeholder` into declared entries.
struct SourceAssembler {
    static let maximumIncludeDepth = 32
    /// Lines handled in all, after includes and loops (stops include and `for` bombs).
    static let maximumWork = 200_000

    let host: HostFacts
    private(set) var entries: [RawEntry] = []
    private(set) var errors: [ConfigError] = []
    private(set) var warnings: [String] = []
    /// The first config file read: upper-case magic variables, `Config.name`, `Config.sourceFile`.
    private(set) var mainFile: FileContext?
    private var chain: [FileContext] = []
    private var work = 0
    /// Sources ("command line", file display paths) in the order they were first read.
    private(set) var sourcesInOrder: [String] = []
    /// The options and placeholders read so far, for directives expanded while reading.
    private let soFar: PlaceholderTable

    init(host: HostFacts) {
        self.host = host
        soFar = PlaceholderTable.build(entries: [], host: host, mainFile: nil)
    }

    private mutating func append(_ entry: RawEntry) {
        entries.append(entry)
        soFar.add(entry)
    }

    mutating func read(arguments: [String]) {
        sourcesInOrder.append("command line")
        let (items, commandLineErrors) = CommandLineReader.read(arguments)
        errors += commandLineErrors
        // The main file is the first `--ini`/`--yaml`/bare config file, even when templates named
        // before it (`--include`, the emperor's vassals-include-before) are read first: upper-case
        // magic variables and the app's name describe it from the start (SPEC.md §12.4).
        if let first = items.first(where: { ["ini", "yaml"].contains(OptionRegistry.spec(named: $0.key)?.name ?? $0.key) }),
           let target = expandNow(first) {
            let (display, absolute, section) = locate(target, for: first)
            mainFile = FileContext(displayPath: display, absolutePath: absolute, section: section, inode: Self.inode(Posix.fileStatus(absolute)))
        }
        var deferred: [RawEntry] = []
        process(items[...], deferred: &deferred)
        for entry in deferred { load(entry, kind: nil) }
    }

    /// Handles the entries of one source in order.
    mutating func process(_ items: ArraySlice<RawEntry>, deferred: inout [RawEntry]) {
        var index = items.startIndex
        while index < items.endIndex {
            let item = items[index]
            index += 1
            work += 1
            guard work <= Self.maximumWork else {
                if work == Self.maximumWork + 1 {
                    errors.append(ConfigError(location: item.location, message: "more than \(Self.maximumWork) lines after includes and loops; stopping"))
                }
                return
            }
            let spec = OptionRegistry.spec(named: item.key)
            let name = spec?.name ?? item.key
            if let spec, spec.role == .directive, item.isBare, spec.bareValue == nil {
                errors.append(ConfigError(location: item.location, message: "\"\(name)\" needs a value"))
                continue
            }
            switch name {
            case "ini", "yaml", "include":
                load(item, kind: name == "include" ? nil : name)
            case "inherit":
                deferred.append(item)
            case "set", "set-placeholder":
                declare(item, placeholderOnly: name == "set-placeholder")
            case "for", "for-glob", "for-readline", "if-env", "if-not-env", "if-exists", "if-not-exists", "if-file", "if-dir", "if-opt":
                let closer = name.hasPrefix("for") ? "endfor" : "endif"
                guard let end = blockEnd(items[index...], opener: item, closer: closer) else {
                    index = items.endIndex
                    break
                }
                let body = items[index..<end]
                index = end + 1
                guard let argument = expandNow(item) else { break }
                if name.hasPrefix("for") {
                    guard let items = loopItems(name, argument, item: item) else { break }
                    for word in items {
                        let copies = body.map { entry in
                            var entry = entry
                            entry.key = entry.key.replacing("%(_)", with: word)
                            entry.value = entry.value.replacing("%(_)", with: word)
                            return entry
                        }
                        process(copies[...], deferred: &deferred)
                    }
                } else if LogicCondition(host: host, optionValue: soFar.rawValue).holds(name, argument, file: item.file) {
                    process(body, deferred: &deferred)
                }
            case "endif", "endfor":
                errors.append(ConfigError(location: item.location, message: "\"\(name)\" without an open block"))
            default:
                append(item)
            }
        }
    }

    /// Index of the entry closing the block opened by `opener`, or nil (error recorded).
    private mutating func blockEnd(_ rest: ArraySlice<RawEntry>, opener: RawEntry, closer: String) -> Int? {
        let openerName = OptionRegistry.spec(named: opener.key)?.name ?? opener.key
        for index in rest.indices {
            let name = OptionRegistry.spec(named: rest[index].key)?.name ?? rest[index].key
            if name == closer { return index }
            if name.hasPrefix("for") || name.hasPrefix("if-"), OptionRegistry.spec(named: name)?.role == .directive {
                errors.append(ConfigError(location: rest[index].location, message: "\"\(name)\" inside a \"\(openerName)\" block (blocks do not nest)"))
                return nil
            }
        }
        errors.append(ConfigError(location: opener.location, message: "\"\(openerName)\" block is never closed (missing \"\(closer)\")"))
        return nil
    }

    /// The items a loop runs over: `for` words, `for-glob` matching paths (relative to the config file),
    /// `for-readline` the non-empty lines of a file. Nil when the file cannot be read (error recorded).
    private mutating func loopItems(_ name: String, _ argument: String, item: RawEntry) -> [String]? {
        let base = item.file?.directory ?? host.workingDirectory
        switch name {
        case "for-glob":
            return Posix.glob(PathText.absolute(argument, relativeTo: base))
        case "for-readline":
            guard let data = try? Posix.readFile(PathText.absolute(argument, relativeTo: base)) else {
                errors.append(ConfigError(location: item.location, message: "cannot read \(Quoted.text(argument)) for \"for-readline\""))
                return nil
            }
            return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map { IniReader.trim($0) }.filter { !$0.isEmpty }
        default:
            return argument.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
    }

    private mutating func declare(_ item: RawEntry, placeholderOnly: Bool) {
        let directive = placeholderOnly ? "set-placeholder" : "set"
        guard let equals = item.value.firstIndex(of: "="), equals != item.value.startIndex else {
            errors.append(ConfigError(location: item.location, message: "\"\(directive)\" expects name=value, got \(Quoted.text(item.value))"))
            return
        }
        let name = IniReader.trim(item.value[..<equals])
        if placeholderOnly, OptionRegistry.spec(named: name) != nil {
            errors.append(ConfigError(location: item.location, message: "\"\(name)\" is an option, not a placeholder (use \"set\" or the option itself)"))
            return
        }
        var entry = item
        entry.key = name
        entry.value = IniReader.trim(item.value[item.value.index(after: equals)...])
        entry.isDeclared = true
        append(entry)
    }

    /// Expands a directive's value now (magic variables, `$(...)`, `@(...)`, `%(...)` known so far).
    private mutating func expandNow(_ item: RawEntry) -> String? {
        soFar.forgetResolved()
        soFar.expander = Expander(magic: MagicVariables(host: host, mainFile: mainFile ?? item.file))
        do {
            return try soFar.expand(item.value, file: item.file, mode: .full)
        } catch {
            errors.append(ConfigError(location: item.location, message: error.message))
            return nil
        }
    }

    /// Display path, absolute path and section of a file reference (`a.ini`, `a.ini:sec`, `:sec`).
    private func locate(_ target: String, for item: RawEntry) -> (display: String, absolute: String, section: String) {
        let base = item.file?.directory ?? host.workingDirectory
        if target.hasPrefix(":"), let current = item.file {
            return (current.displayPath, current.absolutePath, String(target.dropFirst()))
        }
        var path = target, section = ""
        if let colon = target.lastIndex(of: ":"), Posix.fileStatus(PathText.absolute(target, relativeTo: base)) == nil {
            section = String(target[target.index(after: colon)...])
            path = String(target[..<colon])
        }
        return (PathText.display(path, relativeTo: item.file?.displayPath), PathText.absolute(path, relativeTo: base), section)
    }

    /// Reads the file named by an `ini`/`yaml`/`include`/`inherit` entry (kind nil = by extension).
    private mutating func load(_ item: RawEntry, kind: String?) {
        guard let target = expandNow(item) else { return }
        let (display, absolute, section) = locate(target, for: item)
        if kind == nil, CommandLineReader.isUnsupportedFormat(absolute) {
            errors.append(ConfigError(location: item.location, message: CommandLineReader.unsupportedMessage))
            return
        }
        let kind = kind ?? (CommandLineReader.configKind(of: absolute) ?? "ini")
        let status = Posix.fileStatus(absolute)
        let context = FileContext(displayPath: display, absolutePath: absolute, section: section, inode: Self.inode(status))
        if chain.contains(where: { $0.identity == context.identity }) {
            let names = (chain + [context]).map(\.displayPath).joined(separator: " -> ")
            errors.append(ConfigError(location: item.location, message: "include cycle: \(names)"))
            return
        }
        guard chain.count < Self.maximumIncludeDepth else {
            let names = (chain + [context]).map(\.displayPath).joined(separator: " -> ")
            errors.append(ConfigError(location: item.location, message: "includes nested deeper than \(Self.maximumIncludeDepth) levels: \(names)"))
            return
        }
        guard let data = Self.contents(absolute, status: status, display: display, location: item.location, errors: &errors)
        else { return }
        if mainFile == nil { mainFile = context }
        sourcesInOrder.append(display)
        let result = kind == "yaml" ? YAMLReader.read(data, file: context) : IniReader.read(String(decoding: data, as: UTF8.self), file: context)
        errors += result.errors
        warnings += result.warnings
        chain.append(context)
        var deferred: [RawEntry] = []
        process(result.entries[...], deferred: &deferred)
        for entry in deferred { load(entry, kind: nil) }
        chain.removeLast()
    }

    private static func contents(_ absolute: String, status: FileStatus?, display: String, location: String,
                                 errors: inout [ConfigError]) -> [UInt8]? {
        if let status, status.isDirectory {
            errors.append(ConfigError(location: location, message: "cannot read \"\(display)\": it is a directory"))
            return nil
        }
        do {
            return try Posix.readFile(absolute)
        } catch {
            errors.append(ConfigError(location: location, message: "cannot read \"\(display)\": \(Self.reason(error))"))
            return nil
        }
    }

    /// Why a config file could not be read, in words; a permission problem names the user, since a
    /// master that dropped privileges re-reads its config on reload as that user.
    private static func reason(_ error: SystemError) -> String {
        if error.isNotFound { return "no such file" }
        if error.isPermissionDenied {
            return "permission denied for uid \(HostIdentity.effectiveUserID) (the file and every directory above it must be readable by the user Liege runs as)"
        }
        return error.description
    }

    /// A file's identity for include-cycle detection ("0" when it does not exist).
    private static func inode(_ status: FileStatus?) -> String {
        status.map { String($0.inode) } ?? "0"
    }
}
