/// Percent-decoding of a URI component (RFC 3986 §2.1), exactly once: `%252e` becomes `%2e`.
///
/// The input is a raw path or query as `RequestHead` gives it (one character per byte,
/// ISO-8859-1); characters up to U+00FF become their byte, anything above its UTF-8 bytes.
/// `+` is left alone (it means space only in form data).
public enum PercentDecoding {
    /// The decoded bytes, or nil when a `%` is not followed by two hex digits.
    public static func decode(_ text: Substring) -> [UInt8]? {
        var text = text
        switch text.withUTF8({ decodeASCII($0) }) {
        case .decoded(let output): return output
        case .badEscape: return nil
        case .notASCII: return decodeScalars(text.unicodeScalars)
        }
    }

    public static func decode(_ text: String) -> [UInt8]? {
        decode(Substring(text))
    }

    private enum Outcome {
        case decoded([UInt8])
        case badEscape
        case notASCII
    }

    /// Fast path for ASCII text.
    private static func decodeASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Outcome {
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x80 { return .notASCII }
            if byte == 0x25 {
                guard index + 2 < count, let high = ASCII.hexValue(utf8[index + 1]),
                    let low = ASCII.hexValue(utf8[index + 2])
                else { return .badEscape }
                output.append(UInt8(high << 4 | low))
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return .decoded(output)
    }

    private static func decodeScalars(_ scalars: Substring.UnicodeScalarView) -> [UInt8]? {
        var output: [UInt8] = []
        var iterator = scalars.makeIterator()
        while let scalar = iterator.next() {
            let code = scalar.value
            if code == 0x25 {
                guard let first = iterator.next(), let second = iterator.next(),
                    first.isASCII, second.isASCII,
                    let high = ASCII.hexValue(UInt8(first.value)), let low = ASCII.hexValue(UInt8(second.value))
                else { return nil }
                output.append(UInt8(high << 4 | low))
            } else if code <= 0xFF {
                output.append(UInt8(code))
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
        }
        return output
    }
}
