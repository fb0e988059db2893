import LiegeSystem

/// Expands `%X` magic variables, `%%`, `%(name)` (and math), `$(ENV)` and `@(file)` in one left-to-right
/// pass. Substituted text is never scanned again, so a `%` that came from a value stays a `%`.
struct Expander: Sendable {
    struct Failure: Error, Equatable { var message: String }
    typealias Lookup = (String) throws(Failure) -> String?

    /// Longest value an expansion may produce (guards against exponential placeholder trees).
    static let maximumLength = 16 * 1024 * 1024
    static let maximumDepth = 64

    let magic: MagicVariables
    var host: HostFacts { magic.host }

    func expand(
        _ text: String, file: FileContext?, mode: OptionSpec.Expansion, depth: Int = 0, lookup: Lookup
    ) throws(Failure) -> String {
        guard depth <= Self.maximumDepth else { throw Failure(message: "expansions nested deeper than \(Self.maximumDepth) levels") }
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "@") })
        else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            if byte == UInt8(ascii: "%"), let next {
                if next == UInt8(ascii: "%") {
                    out.append(byte)
                    i += 2
                } else if next == UInt8(ascii: "(") {
                    let close = try Self.closing(bytes, from: i + 2, opener: "%(")
                    let inner = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                    let name = try expand(inner, file: file, mode: mode, depth: depth + 1, lookup: lookup)
                    if let value = try reference(name, mode: mode, lookup: lookup) {
                        out.append(contentsOf: value.utf8)
                    } else {
                        out.append(contentsOf: bytes[i...close])
                    }
                    i = close + 1
                } else {
                    let letter = String(decoding: bytes[(i + 1)..<min(i + 5, bytes.count)], as: UTF8.self).first ?? "?"
                    let width = String(letter).utf8.count
                    if let value = try magicValue(letter, file: file, mode: mode) {
                        out.append(contentsOf: value.utf8)
                    } else {
                        out.append(contentsOf: bytes[i..<(i + 1 + width)])
                    }
                    i += 1 + width
                }
            } else if byte == UInt8(ascii: "$"), next == UInt8(ascii: "("), mode != .keepsShellVariables {
                let close = try Self.closing(bytes, from: i + 2, opener: "$(")
                let inner = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                out.append(contentsOf: try environmentValue(expand(inner, file: file, mode: mode, depth: depth + 1, lookup: lookup)).utf8)
                i = close + 1
            } else if byte == UInt8(ascii: "@"), next == UInt8(ascii: "(") {
                let close = try Self.closing(bytes, from: i + 2, opener: "@(")
                let inner = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                out.append(contentsOf: try fileValue(expand(inner, file: file, mode: mode, depth: depth + 1, lookup: lookup), file: file).utf8)
                i = close + 1
            } else {
                out.append(byte)
                i += 1
            }
            guard out.count <= Self.maximumLength else {
                throw Failure(message: "expanded value is longer than \(Self.maximumLength) bytes")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Index of the `)` closing the parenthesis opened just before `start`.
    static func closing(_ bytes: [UInt8], from start: Int, opener: String) throws(Failure) -> Int {
        var depth = 0
        var i = start
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "(") { depth += 1 }
            if bytes[i] == UInt8(ascii: ")") {
                if depth == 0 { return i }
                depth -= 1
            }
            i += 1
        }
        throw Failure(message: "unterminated \"\(opener)\" (missing \")\")")
    }

    private func magicValue(_ letter: Character, file: FileContext?, mode: OptionSpec.Expansion) throws(Failure) -> String? {
        do {
            return try magic.value(of: letter, file: file)
        } catch {
            switch error {
            case .unknown:
                if mode == .keepsRequestVariables { return nil }
                throw Failure(message: "unknown magic variable \(Quoted.text("%\(letter)")) (write \(Quoted.text("%%\(letter)")) for a literal \(Quoted.text("%\(letter)")))")
            case .noFile:
                throw Failure(message: "\"%\(letter)\" describes a config file, but none was given")
            }
        }
    }

    /// The request variables of `log-format` (SPEC §6), filled at request time: never expanded at load.
    static let requestVariables: Set<String> = [
        "uri", "method", "user", "addr", "host", "proto", "uagent", "referer", "status", "micros", "msecs", "secs",
        "time", "ctime", "ltime", "epoch", "size", "hsize", "rsize", "cl", "pid", "wid", "rss", "vsz",
        "rssM", "vszM", "uss", "ussM", "pss", "pssM",
    ]

    private func reference(_ name: String, mode: OptionSpec.Expansion, lookup: Lookup) throws(Failure) -> String? {
        if mode == .keepsRequestVariables, Self.requestVariables.contains(name) || name.hasPrefix("var.") { return nil }
        if name.contains(" ") { return try PlaceholderMath.evaluate(name, lookup: lookup) }
        if let value = try lookup(name) { return value }
        // Any other name in log-format is a request log variable the app may set (`uwsgi.set_logvar`).
        if mode == .keepsRequestVariables, !name.isEmpty { return nil }
        throw Failure(message: "\(Quoted.text("%(\(name))")) is not defined (no option or placeholder \(Quoted.text(name)))")
    }

    private func environmentValue(_ spec: String) throws(Failure) -> String {
        let environment = host.environment
        if let range = spec.firstRange(of: ":-") {
            let value = environment[String(spec[..<range.lowerBound])] ?? ""
            return value.isEmpty ? String(spec[range.upperBound...]) : value
        }
        if let dash = spec.firstIndex(of: "-") {
            return environment[String(spec[..<dash])] ?? String(spec[spec.index(after: dash)...])
        }
        guard let value = environment[spec] else {
            throw Failure(message: "environment variable \(Quoted.text(spec)) is not set (write \(Quoted.text("$(\(spec):-default)")) for a default)")
        }
        return value
    }

    private func fileValue(_ path: String, file: FileContext?) throws(Failure) -> String {
        if path.hasPrefix("exec://") { return try commandValue(String(path.dropFirst("exec://".count))) }
        let directory = file?.directory ?? host.workingDirectory
        let absolute = PathText.absolute(path, relativeTo: directory)
        guard let data = try? Posix.readFile(absolute) else {
            throw Failure(message: "cannot read \(Quoted.text(path)) for \(Quoted.text("@(\(path))"))")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// `@(exec://COMMAND)`: what `/bin/sh -c COMMAND` prints, minus one trailing newline.
    private func commandValue(_ command: String) throws(Failure) -> String {
        guard let (output, status) = ShellCommand.output(of: command, environment: host.environment) else {
            throw Failure(message: "cannot run \(Quoted.text(command)) for \(Quoted.text("@(exec://\(command))"))")
        }
        guard status == .exited(0) else {
            throw Failure(message: "\(Quoted.text("@(exec://\(command))")): the command \(status)")
        }
        var text = String(decoding: output, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
