/// `log-format` takes any `%(name)`: a name that is no request variable is a log variable the app sets
/// (`uwsgi.set_logvar`), empty when it does not. One that looks like a misspelt request variable gets a
/// warning that says so.
enum LogVariableCheck {
    static func warnings(_ format: String) -> [String] {
        var warnings: [String] = []
        var rest = Substring(format)
        while let start = rest.firstRange(of: "%("), let end = rest[start.upperBound...].firstIndex(of: ")") {
            let name = String(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            guard !Expander.requestVariables.contains(name), !name.hasPrefix("var."), name.count > 2,
                  let close = Expander.requestVariables.first(where: { EditDistance.between(name, $0) <= 1 }) else { continue }
            warnings.append("\(Quoted.text("%(\(name))")) in \"log-format\" is no request variable: it shows what the app "
                + "sets with uwsgi.set_logvar (did you mean \(Quoted.text("%(\(close))"))?)")
        }
        return warnings
    }
}
