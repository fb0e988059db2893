/// User text inside messages: quoted, and cut short when huge (a 1 MB line should not become a 1 MB error).
enum Quoted {
    static let maximumLength = 80

    static func text<S: StringProtocol>(_ text: S) -> String {
        guard text.count > maximumLength else { return "\"\(text)\"" }
        return "\"\(text.prefix(maximumLength))...\" (\(text.utf8.count) bytes)"
    }
}
