import LiegeHTTP

/// The response headers routing asked for (`addheader`, `delheader`/`remheader`, `setheader`), applied
/// to whatever answers the request: the app, a static file, or routing's own answer.
struct ResponseHeaderEdits {
    private(set) var added: [(name: String, value: String)] = []
    /// Names no response header may have (also the added ones, as in uWSGI).
    private(set) var removed: [String] = []
    /// Names whose headers from the app give way to the added ones (`setheader`).
    private(set) var replaced: [String] = []

    var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    /// `line` is `Name: value`; a line without a name is ignored.
    mutating func add(_ line: String, replacing: Bool = false) {
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingSpaces
        guard !name.isEmpty else { return }
        let value = String(line[line.index(after: colon)...]).trimmingSpaces
        added.append((name, value))
        if replacing { replaced.append(name) }
    }

    mutating func remove(_ name: String) {
        let name = name.trimmingSpaces
        if !name.isEmpty { removed.append(name) }
    }

    /// The headers of a response once edited: the response's own, less the removed and replaced names,
    /// then the added ones (less the removed names).
    func apply(to headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        func named(_ name: String, in list: [String]) -> Bool { list.contains { HeaderName.matches($0, name) } }
        var result = headers.filter { !named($0.name, in: removed) && !named($0.name, in: replaced) }
        result += added.filter { !named($0.name, in: removed) }
        return result
    }
}

extension String {
    var trimmingSpaces: String { Substring(self).trimmingSpaces }
}
