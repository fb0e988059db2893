import Glibc

/// What a process knows about itself at start.
public struct ProcessFacts: Sendable {
    public var environment: [String: String]
    public var workingDirectory: String

    public static var current: ProcessFacts {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                environment[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
        return ProcessFacts(environment: environment, workingDirectory: cwd)
    }
}

/// Ends the process with `status` (no atexit handlers of Swift to run).
public func exitProcess(_ status: Int32) -> Never {
    exit(status)
}

/// Writes text to fd 2 in one go (retrying short writes).
public func writeStandardError(_ text: String) {
    try? Posix.writeAll(2, text)
}
