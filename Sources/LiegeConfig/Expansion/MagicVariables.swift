/// The `%X` magic variables: lower-case letters describe the file being read, upper-case ones the
/// main file (the first one given), the rest describe the host.
struct MagicVariables: Sendable {
    enum Failure: Error { case unknown, noFile }

    let host: HostFacts
    let mainFile: FileContext?

    /// The value of `%letter` for a value read from `file` (nil = the command line, which uses the main file).
    func value(of letter: Character, file: FileContext?) throws(Failure) -> String {
        if let hostValue = hostValue(of: letter) { return hostValue }
        // uWSGI has no %m: it keeps it as written (it is the month of strftime formats in logdate,
        // log-backupname and cron commands), and so does Liege.
        if letter == "m" { return "%m" }
        if let digit = letter.wholeNumberValue, letter.isASCII {
            let components = try need(file ?? mainFile).directory.split(separator: "/").map(String.init)
            return digit < components.count ? components[digit] : ""
        }
        let lower = letter.lowercased().first ?? letter
        guard letter.isASCII, "psnedcxij".contains(lower) else { throw .unknown }
        let context = try need(letter.isUppercase ? mainFile : (file ?? mainFile))
        return Self.fileValue(of: lower, context)
    }

    private func need(_ context: FileContext?) throws(Failure) -> FileContext {
        guard let context else { throw .noFile }
        return context
    }

    private func hostValue(of letter: Character) -> String? {
        switch letter {
        case "v": host.workingDirectory
        case "h": host.hostname
        case "k": String(host.cpuCount)
        case "u": String(host.uid)
        case "U": host.userName
        case "g": String(host.gid)
        case "G": host.groupName
        case "t": String(host.startMicroseconds / 1_000_000)
        case "T": String(host.startMicroseconds)
        case "V": host.version
        case "b": host.binaryPath
        case "[": "\u{1B}"
        default: nil
        }
    }

    private static func fileValue(of letter: Character, _ file: FileContext) -> String {
        let name = PathText.lastComponent(file.absolutePath)
        switch letter {
        case "p": return file.absolutePath
        case "s": return name
        case "n": return PathText.splitExtension(name).stem
        case "e": return PathText.splitExtension(name).ext
        case "d": return file.directory
        case "c": return PathText.lastComponent(file.directory)
        case "x": return file.section
        case "i": return file.inode
        default: return hash(file.absolutePath)
        }
    }

    /// djb33x hash of the path, as 8 hex digits (`%j`).
    static func hash(_ text: String) -> String {
        var hash: UInt32 = 5381
        for byte in text.utf8 { hash = (hash &* 33) ^ UInt32(byte) }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
