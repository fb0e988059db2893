/// Incremental UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF)
/// over input split at any byte, so a text message can fail on the fragment that breaks it.
struct UTF8Validator {
    /// Continuation bytes the current sequence still needs.
    private var pending: UInt8 = 0
    /// Allowed range of the next continuation byte (narrower after E0, ED, F0, F4).
    private var lowest: UInt8 = 0x80
    private var highest: UInt8 = 0xBF

    /// No sequence is cut off at the end of the input so far.
    var isComplete: Bool { pending == 0 }

    mutating func reset() {
        pending = 0
        lowest = 0x80
        highest = 0xBF
    }

    /// False at the first byte that cannot belong to valid UTF-8.
    mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if pending == 0 {
                // ASCII runs, eight bytes at a time.
                while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                guard index < count else { return true }
            }
            let byte = bytes[index]
            index += 1
            if pending > 0 {
                guard byte >= lowest, byte <= highest else { return false }
                pending -= 1
                lowest = 0x80
                highest = 0xBF
                continue
            }
            switch byte {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; lowest = 0xA0
            case 0xED: pending = 2; highest = 0x9F
            case 0xE1...0xEF: pending = 2
            case 0xF0: pending = 3; lowest = 0x90
            case 0xF4: pending = 3; highest = 0x8F
            case 0xF1...0xF3: pending = 3
            default: return false
            }
        }
        return true
    }

    /// The bytes are one complete valid UTF-8 string.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }
}
