/// How a watched file differs from the last look.
public enum FileChange: Sendable, Equatable {
    case appeared
    case changed
    case removed

    /// Compares two looks at one file; nil when nothing changed.
    public static func between(_ before: FileStamp?, _ after: FileStamp?) -> FileChange? {
        switch (before, after) {
        case (nil, nil): return nil
        case (nil, .some): return .appeared
        case (.some, nil): return .removed
        case (.some(let old), .some(let new)): return old == new ? nil : .changed
        }
    }
}
