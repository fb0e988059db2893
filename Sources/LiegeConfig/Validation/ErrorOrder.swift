/// Puts errors in reading order: by source (in the order sources were first read), then line and column.
enum ErrorOrder {
    /// A location split into its source ("shop.ini", "command line") and position.
    struct Position: Comparable {
        var source: String
        var line: Int
        var column: Int

        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
    }

    static func position(of location: String) -> Position {
        if location.hasPrefix("command line") { return Position(source: "command line", line: 0, column: 0) }
        var parts = location.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var numbers: [Int] = []
        while numbers.count < 2, parts.count > 1, let last = parts.last, let number = Int(last) {
            numbers.insert(number, at: 0)
            parts.removeLast()
        }
        return Position(source: parts.joined(separator: ":"), line: numbers.first ?? 0, column: numbers.dropFirst().first ?? 0)
    }

    static func sorted(_ errors: [ConfigError], sourcesInOrder: [String]) -> [ConfigError] {
        var rank: [String: Int] = [:]
        for source in sourcesInOrder where rank[source] == nil { rank[source] = rank.count }
        let keyed = errors.enumerated().map { (offset, error) in
            let position = position(of: error.location)
            return (rank: rank[position.source] ?? Int.max, position: position, offset: offset, error: error)
        }
        return keyed.sorted {
            ($0.rank, $0.position.line, $0.position.column, $0.offset) < ($1.rank, $1.position.line, $1.position.column, $1.offset)
        }.map(\.error)
    }
}
