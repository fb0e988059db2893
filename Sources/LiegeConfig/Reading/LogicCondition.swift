import LiegeSystem

/// Decides whether an `if-...` block is kept.
struct LogicCondition {
    let host: HostFacts
    /// The unexpanded value of an option or placeholder read so far (for `if-opt`).
    let optionValue: (String) -> String?

    func holds(_ directive: String, _ argument: String, file: FileContext?) -> Bool {
        switch directive {
        case "if-env": return environmentMatches(argument)
        case "if-not-env": return !environmentMatches(argument)
        case "if-opt": return optionMatches(argument)
        default:
            let path = PathText.absolute(argument, relativeTo: file?.directory ?? host.workingDirectory)
            let status = Posix.fileStatus(path)
            switch directive {
            case "if-exists": return status != nil
            case "if-not-exists": return status == nil
            case "if-file": return status.map { !$0.isDirectory } ?? false
            default: return status?.isDirectory ?? false
            }
        }
    }

    /// `N`: set and not empty; `N=V`: equals V.
    private func environmentMatches(_ argument: String) -> Bool {
        let (name, expected) = split(argument)
        guard let value = host.environment[name] else { return false }
        return expected.map { $0 == value } ?? !value.isEmpty
    }

    /// `o`: set so far; `o=v`: its last value so far is v.
    private func optionMatches(_ argument: String) -> Bool {
        let (name, expected) = split(argument)
        guard let value = optionValue(name) else { return false }
        return expected.map { $0 == value } ?? true
    }

    private func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
