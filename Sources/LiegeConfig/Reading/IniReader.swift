/// Reads the `[uwsgi]` and `[liege]` sections (or the one section picked with `F:SECTION`) of an INI text.
///
/// `key = value` splits at the first `=`, both sides trimmed; `;` or `#` first on a line is a comment;
/// a bare `key` is `key = true`; typed options drop a trailing ` ;...` comment with a warning.
enum IniReader {
    struct Result {
        var entries: [RawEntry] = []
        var errors: [ConfigError] = []
        var warnings: [String] = []
    }

    static let defaultSections: Set<String> = ["uwsgi", "liege"]

    static func read(_ text: String, file: FileContext) -> Result {
        var result = Result()
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        let wanted: Set<String> = file.section.isEmpty ? defaultSections : [file.section]
        var sections: [String] = []
        for line in lines {
            if let name = sectionName(trim(line)), !sections.contains(name) { sections.append(name) }
        }
        let found = sections.isEmpty ? "none" : sections.map { "[\($0)]" }.joined(separator: ", ")
        guard sections.contains(where: wanted.contains) else {
            let wantedText = file.section.isEmpty ? "[uwsgi] or [liege] section" : "[\(file.section)] section"
            result.errors.append(ConfigError(location: "\(file.displayPath):1", message: "no \(wantedText) (sections found: \(found))"))
            return result
        }
        var current: String?
        for (number, rawLine) in lines.enumerated() {
            let line = trim(rawLine)
            let location = "\(file.displayPath):\(number + 1)"
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard let name = sectionName(line) else {
                    result.errors.append(ConfigError(location: location, message: "malformed section header \(Quoted.text(line))"))
                    continue
                }
                current = name
                continue
            }
            guard let section = current else {
                let key = line.split(separator: "=", maxSplits: 1).first.map { trim($0) } ?? line
                result.errors.append(ConfigError(location: location, message: "\(Quoted.text(key)) is outside any section (sections found: \(found))"))
                continue
            }
            guard wanted.contains(section) else { continue }
            if let entry = entry(line, location: location, file: file, warnings: &result.warnings) {
                result.entries.append(entry)
            } else {
                result.errors.append(ConfigError(location: location, message: "missing option name before \"=\""))
            }
        }
        return result
    }

    private static func entry(_ line: String, location: String, file: FileContext, warnings: inout [String]) -> RawEntry? {
        guard let equals = line.firstIndex(of: "=") else {
            return RawEntry(key: line, value: "true", location: location, isBare: true, file: file)
        }
        let key = trim(line[..<equals])
        var value = trim(line[line.index(after: equals)...])
        guard !key.isEmpty else { return nil }
        if let spec = OptionRegistry.spec(named: key), spec.type.dropsTrailingComment,
           let comment = trailingComment(value) {
            warnings.append("\(location): ignoring the comment \"\(value[comment...])\" after the value of \"\(key)\" (comments belong on their own line)")
            value = trim(value[..<comment])
        }
        return RawEntry(key: key, value: value, location: location, file: file)
    }

    /// Start of a ` ;...` or ` #...` comment after a value.
    private static func trailingComment(_ value: String) -> String.Index? {
        var previous: Character?
        for index in value.indices {
            let character = value[index]
            if character == ";" || character == "#", previous == " " || previous == "\t" { return index }
            previous = character
        }
        return nil
    }

    private static func sectionName(_ line: String) -> String? {
        guard line.hasPrefix("["), line.hasSuffix("]"), line.count >= 2 else { return nil }
        return trim(line.dropFirst().dropLast())
    }

    static func trim<S: StringProtocol>(_ text: S) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{FEFF}" }
        while let first = scalars.first, blank(first) { scalars.removeFirst() }
        while let last = scalars.last, blank(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
