/// For the worker writing the response head: the bridge hands over the status line and the
/// header names and values as latin-1 text (PEP 3333), i.e. Swift strings whose every Unicode
/// scalar is at most U+00FF. These put them back on the wire byte for byte.
public enum WSGIText {
    /// Appends the latin-1 bytes of `text` (a scalar above U+00FF, which the bridge never produces,
    /// becomes "?").
    @inlinable
    public static func appendLatin1(_ text: String, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            buffer.append(contentsOf: utf8)
            return
        }
        for scalar in text.unicodeScalars {
            buffer.append(scalar.value <= 0xFF ? UInt8(scalar.value) : UInt8(ascii: "?"))
        }
    }

    /// The latin-1 bytes of `text`.
    public static func latin1Bytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        appendLatin1(text, to: &bytes)
        return bytes
    }
}
