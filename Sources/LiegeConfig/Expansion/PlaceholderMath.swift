/// `%(a + 2 * b)`: space-separated integers, names and the operators `+ - * /` (binary) and `++ --`
/// (increment the value so far), evaluated left to right; two operands in a row are concatenated.
enum PlaceholderMath {
    static func evaluate(_ expression: String, lookup: Expander.Lookup) throws(Expander.Failure) -> String {
        var value: String?
        var pending: String?
        for token in expression.split(separator: " ").map(String.init) {
            switch token {
            case "+", "-", "*", "/":
                guard value != nil, pending == nil else { throw failure(expression, "operator \"\(token)\" needs a value before it") }
                pending = token
            case "++", "--":
                guard let current = value, pending == nil, let number = Int(current) else {
                    throw failure(expression, "\"\(token)\" needs an integer before it")
                }
                value = String(token == "++" ? number &+ 1 : number &- 1)
            default:
                let operand: String
                if Int(token) != nil {
                    operand = token
                } else if let named = try lookup(token) {
                    operand = named
                } else {
                    throw failure(expression, "\"\(token)\" is not defined")
                }
                if let operation = pending {
                    value = try apply(operation, value ?? "", operand, expression)
                    pending = nil
                } else {
                    value = (value ?? "") + operand
                }
            }
        }
        if let pending { throw failure(expression, "operator \"\(pending)\" needs a value after it") }
        return value ?? ""
    }

    private static func apply(_ operation: String, _ left: String, _ right: String, _ expression: String) throws(Expander.Failure) -> String {
        guard let a = Int(left), let b = Int(right) else {
            throw failure(expression, "\"\(left) \(operation) \(right)\" needs integers")
        }
        let result: (Int, Bool)
        switch operation {
        case "+": result = a.addingReportingOverflow(b)
        case "-": result = a.subtractingReportingOverflow(b)
        case "*": result = a.multipliedReportingOverflow(by: b)
        default:
            guard b != 0 else { throw failure(expression, "division by zero") }
            result = a.dividedReportingOverflow(by: b)
        }
        guard !result.1 else { throw failure(expression, "integer overflow") }
        return String(result.0)
    }

    private static func failure(_ expression: String, _ message: String) -> Expander.Failure {
        Expander.Failure(message: "in \"%(\(expression))\": \(message)")
    }
}
