/// The `key=value,key=value` lists of `attach-daemon2` and `cron2`. A piece that does not start with
/// `word=` continues the previous value after a comma, so values may hold commas (`minute=0,30`) and
/// `=` (`cmd=celery worker --loglevel=info`).
enum KeyValueList {
    /// The pairs in order, or a message naming the first unknown key or malformed piece.
    static func parse(_ text: String, allowed: [String]) -> Result<[(key: String, value: String)], CronSyntaxError> {
        var pairs: [(key: String, value: String)] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let eq = piece.firstIndex(of: "="), isKey(piece[..<eq]) {
                let key = String(piece[..<eq])
                guard allowed.contains(key) else {
                    return .failure(CronSyntaxError("unknown key \(Quoted.text(key)) (known: \(allowed.joined(separator: " ")))"))
                }
                pairs.append((key, String(piece[piece.index(after: eq)...])))
            } else if let last = pairs.indices.last {
                pairs[last].value += "," + piece
            } else {
                return .failure(CronSyntaxError("expected key=value, got \(Quoted.text(String(piece)))"))
            }
        }
        return .success(pairs)
    }

    private static func isKey(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }
    }
}
