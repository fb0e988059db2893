/// Conversions between bytes and ISO-8859-1 strings (one character per byte), the encoding of
/// every string `RequestHead` holds and of PEP 3333 native strings.
public enum Latin1 {
    /// The string's characters as bytes: U+0000...U+00FF one byte each; anything above as its
    /// UTF-8 bytes (it cannot come from a parsed request).
    public static func bytes(_ text: String) -> [UInt8] {
        var text = text
        let ascii: [UInt8]? = text.withUTF8 { utf8 in
            var high: UInt8 = 0
            for byte in utf8 { high |= byte }
            return high < 0x80 ? Array(utf8) : nil
        }
        if let ascii { return ascii }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value <= 0xFF {
                output.append(UInt8(scalar.value))
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
        return output
    }

    /// A string with one character per byte.
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        ASCII.string(bytes)
    }

    public static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { ASCII.string($0) }
    }
}
