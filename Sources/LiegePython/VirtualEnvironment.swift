/// Where CPython should find its prefix: the pure part of `PythonRuntime.initialize`, so it can be
/// tested without an interpreter. Mirrors uWSGI's `virtualenv`: a PEP 405 venv (it has `pyvenv.cfg`)
/// is entered through `program_name = <venv>/bin/python`, exactly as `<venv>/bin/python` sees it;
/// any other directory is a prefix and becomes `home`.
public struct InterpreterLocation: Equatable, Sendable {
    /// PyConfig.program_name (always set: PLATFORM.md P2).
    public var programName: String
    /// PyConfig.home, for a plain prefix given as `virtualenv`.
    public var home: String?
    /// Things worth a log line (a patch-level version difference, a pyvenv.cfg without version).
    public var warnings: [String]

    public init(programName: String, home: String? = nil, warnings: [String] = []) {
        self.programName = programName
        self.home = home
        self.warnings = warnings
    }

    /// - Parameters:
    ///   - virtualenv: the `virtualenv` setting, if any.
    ///   - pyvenvConfig: the text of `<virtualenv>/pyvenv.cfg`, nil when there is no such file.
    ///   - programName: the program name to use without a venv.
    ///   - runtimeVersion: the linked libpython's version (`Py_GetVersion()`, e.g. "3.11.2 (main, ...)").
    public static func resolve(virtualenv: String?, pyvenvConfig: String?, programName: String,
                               runtimeVersion: String) throws(PythonError) -> InterpreterLocation {
        guard let raw = virtualenv, !raw.isEmpty else { return InterpreterLocation(programName: programName) }
        let venv = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let config = pyvenvConfig else {
            return InterpreterLocation(programName: programName, home: venv)
        }
        let runtime = versionNumbers(runtimeVersion)
        guard let made = venvVersion(config) else {
            return InterpreterLocation(programName: venv + "/bin/python", warnings: [
                "virtualenv \(venv): pyvenv.cfg has no version line; cannot check it against Python \(runtime.joined(separator: "."))",
            ])
        }
        let venvNumbers = versionNumbers(made)
        if venvNumbers.prefix(2) != runtime.prefix(2) {
            throw PythonError(message: "virtualenv \(venv) was made by Python \(made), but liege embeds Python "
                + "\(runtime.joined(separator: ".")); recreate it with /usr/bin/python3 -m venv \(venv)")
        }
        var warnings: [String] = []
        if venvNumbers != runtime {
            warnings.append("virtualenv \(venv) was made by Python \(made), liege embeds Python "
                + "\(runtime.joined(separator: ".")): same minor version, running anyway")
        }
        return InterpreterLocation(programName: venv + "/bin/python", warnings: warnings)
    }

    /// The `version` (or `version_info`) value of a pyvenv.cfg text.
    public static func venvVersion(_ config: String) -> String? {
        var found: [String: String] = [:]
        for line in config.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingSpaces().lowercased()
            let value = line[line.index(after: equals)...].trimmingSpaces()
            if !value.isEmpty { found[key] = value }
        }
        return found["version"] ?? found["version_info"]
    }

    /// "3.11.2 (main, ...)" or "3.12.0.final.0" -> ["3", "11", "2"] (numeric components only).
    static func versionNumbers(_ text: String) -> [String] {
        let first = text.split(separator: " ").first.map(String.init) ?? ""
        var numbers: [String] = []
        for part in first.split(separator: ".") {
            let digits = part.prefix { $0.isASCII && $0.isNumber }
            if digits.isEmpty { break }
            numbers.append(String(digits))
            if digits.count != part.count || numbers.count == 3 { break }
        }
        return numbers
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }),
              let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
