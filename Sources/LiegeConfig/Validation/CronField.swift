/// One time field of a cron line (SPEC.md §10), parsed: which values of the field match.
///
/// uWSGI's forms: `N` (exact), `-1` (any), `-N` (the value is a multiple of N). Liege's crontab
/// extension: `*`, `*/N` (steps from the field minimum), `A-B`, `A-B/N`, and `,`-lists of those.
public struct CronField: Sendable, Equatable {
    /// Which field: its name for messages and its valid values.
    public enum Unit: String, Sendable, CaseIterable {
        case minute, hour, day, month, weekday

        /// The smallest and largest value a user may write (weekday 7 = Sunday, stored as 0).
        public var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .day: 1...31
            case .month: 1...12
            case .weekday: 0...7
            }
        }
    }

    public enum Rule: Sendable, Equatable {
        /// `-1` or `*`.
        case any
        /// `-N`: the value is a multiple of N.
        case multipleOf(Int)
        /// An explicit set of values (exact numbers, ranges, lists, steps).
        case values(Set<Int>)
    }

    public var unit: Unit
    public var rule: Rule
    /// A number, range or list: what makes day and weekday OR-ed (not `-N`, `*`, `*/N`).
    public var isRestricted: Bool

    public init(unit: Unit, rule: Rule, isRestricted: Bool) {
        self.unit = unit
        self.rule = rule
        self.isRestricted = isRestricted
    }

    /// Whether `value` (weekday 0-6, Sunday 0) matches.
    public func matches(_ value: Int) -> Bool {
        switch rule {
        case .any: return true
        case .multipleOf(let n): return value % n == 0
        case .values(let set): return set.contains(value)
        }
    }

    /// Parses `text` for `unit`; the error message names the field and the problem.
    public static func parse(_ text: String, unit: Unit) -> Result<CronField, CronSyntaxError> {
        let bounds = unit.bounds
        func failure(_ why: String) -> Result<CronField, CronSyntaxError> {
            .failure(CronSyntaxError("\(unit.rawValue) \(Quoted.text(text)): \(why)"))
        }
        if text == "-1" || text == "*" { return .success(CronField(unit: unit, rule: .any, isRestricted: false)) }
        if text.hasPrefix("-") {
            guard let n = Int(text.dropFirst()), text.dropFirst().allSatisfy(\.isASCIIDigit) else {
                return failure("expected a number, -1, -N, *, */N, A-B or a list")
            }
            guard n >= 1, n <= bounds.upperBound else { return failure("-N needs N between 1 and \(bounds.upperBound)") }
            return .success(CronField(unit: unit, rule: .multipleOf(n), isRestricted: false))
        }
        var values = Set<Int>()
        var restricted = false
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            switch parsePiece(String(piece), bounds: bounds) {
            case .success(let (set, isStar)):
                values.formUnion(set)
                if !isStar { restricted = true }
            case .failure(let why):
                return failure(why.message)
            }
        }
        if unit == .weekday, values.remove(7) != nil { values.insert(0) }
        return .success(CronField(unit: unit, rule: .values(values), isRestricted: restricted))
    }

    /// One list element: `N`, `A-B`, `A-B/N`, `*/N` (or `*`); returns the values and whether it was a star form.
    private static func parsePiece(_ piece: String, bounds: ClosedRange<Int>) -> Result<(Set<Int>, Bool), CronSyntaxError> {
        let parts = piece.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return .failure(CronSyntaxError("too many \"/\"")) }
        var step = 1
        if parts.count == 2 {
            guard let n = number(parts[1]), n >= 1 else { return .failure(CronSyntaxError("the step after \"/\" must be a number >= 1")) }
            step = n
        }
        let base = parts[0]
        let low: Int, high: Int
        if base == "*" {
            (low, high) = (bounds.lowerBound, bounds == 0...7 ? 6 : bounds.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            guard let a = number(base[..<dash]), let b = number(base[base.index(after: dash)...]) else {
                return .failure(CronSyntaxError("expected a number, -1, -N, *, */N, A-B or a list"))
            }
            guard a <= b else { return .failure(CronSyntaxError("range \(a)-\(b) goes backwards")) }
            (low, high) = (a, b)
        } else {
            guard let n = number(base) else { return .failure(CronSyntaxError("expected a number, -1, -N, *, */N, A-B or a list")) }
            guard parts.count == 1 else { return .failure(CronSyntaxError("a step needs * or a range before \"/\"")) }
            (low, high) = (n, n)
        }
        guard bounds.contains(low), bounds.contains(high) else {
            return .failure(CronSyntaxError("out of range \(bounds.lowerBound)-\(bounds.upperBound)"))
        }
        return .success((Set(stride(from: low, through: high, by: step)), base == "*"))
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }
}

/// Why a cron line is invalid (the text after `invalid cron`).
public struct CronSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
