/// One `hook-*` value (uWSGI's `ACTION:ARGUMENTS`): `exec:COMMAND`, `call:FUNCTION [ARGUMENT]`,
/// `print:TEXT` / `log:TEXT`, and `unix_signal:15 gracefully_kill_them_all` (the Docker idiom that asks for
/// what SIGTERM already does in Liege).
public enum HookLine: Sendable, Equatable {
    case exec(String)
    case call(function: String, argument: String?)
    case print(String)
    /// Accepted because Liege always behaves that way: nothing to run.
    case alreadyDefault

    public static func parse(_ text: String) -> HookLine? {
        try? parsed(text).get()
    }

    static func parsed(_ text: String) -> Result<HookLine, ValueError> {
        let trimmed = IniReader.trim(text)
        guard let colon = trimmed.firstIndex(of: ":") else {
            return .failure(ValueError("expects ACTION:ARGUMENTS (exec:, call:, print:, unix_signal:), got \(Quoted.text(trimmed))"))
        }
        let action = String(trimmed[..<colon])
        let argument = IniReader.trim(trimmed[trimmed.index(after: colon)...])
        switch action {
        case "exec":
            guard !argument.isEmpty else { return .failure(ValueError("\"exec:\" needs a command")) }
            return .success(.exec(argument))
        case "call":
            let words = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard let function = words.first, !function.isEmpty else { return .failure(ValueError("\"call:\" needs a function name")) }
            return .success(.call(function: function, argument: words.count > 1 ? IniReader.trim(words[1]) : nil))
        case "print", "log":
            return .success(.print(argument))
        case "unix_signal":
            let words = argument.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count == 2, words[0] == "15" || words[0].uppercased() == "SIGTERM", words[1] == "gracefully_kill_them_all" {
                return .success(.alreadyDefault)
            }
            return .failure(ValueError("\(Quoted.text(trimmed)) cannot be honoured: Liege's signals are fixed (SIGTERM: graceful stop, SIGHUP: graceful reload, SIGINT/SIGQUIT: immediate stop); \"unix_signal:15 gracefully_kill_them_all\" is accepted because SIGTERM already does that"))
        default:
            return .failure(ValueError("has the unknown hook action \(Quoted.text(action)) (Liege runs exec:, call:, print: and unix_signal:15 gracefully_kill_them_all)"))
        }
    }
}
