/// Why a value is wrong (the message after the location).
struct ValueError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
