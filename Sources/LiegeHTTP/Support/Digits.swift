/// Number formatting straight into byte buffers.
enum Digits {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Decimal, left-padded with zeros to `minimumWidth` digits.
    static func appendDecimal(_ value: Int, minimumWidth: Int = 1, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(0x2D) }
        var magnitude = value.magnitude
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: any 64-bit number and padding
        withUnsafeMutableBytes(of: &scratch) { raw in
            var index = raw.count
            repeat {
                index -= 1
                raw[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude > 0
            while raw.count - index < min(minimumWidth, raw.count) {
                index -= 1
                raw[index] = 0x30
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[index...]))
        }
    }

    /// Lowercase hexadecimal without leading zeros (`0` for zero).
    static func appendHex(_ value: Int, to buffer: inout [UInt8]) {
        let bits = Int.bitWidth - value.leadingZeroBitCount
        var shift = max(0, (bits + 3) / 4 * 4 - 4)
        let digits = hexDigits.utf8Start
        while shift >= 0 {
            buffer.append(digits[(value >> shift) & 0xF])
            shift -= 4
        }
    }
}
