/// The shape of a host (RFC 3986 §3.2 as used by RFC 9110 §4.2 and §7.2): `uri-host [":" port]`,
/// where uri-host is an IP literal in brackets or a reg-name/IPv4 address, and port is digits.
/// Byte classes, not name resolution: `[::1]:80`, `example.com`, `localhost:` pass; `a b`,
/// `a/b`, `]x`, `a:b:c`, `[::1]x` fail.
enum HostSyntax {
    /// A Host field value (may be empty).
    static func isValidHost(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        isValidHostPort(bytes, range.lowerBound, range.upperBound)
    }

    /// The authority of an absolute-form target: `[userinfo "@"] host [":" port]`.
    static func isValidAuthority(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var hostStart = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == 0x40 { hostStart = index + 1 }  // the last "@" ends the userinfo
            index += 1
        }
        for index in range.lowerBound..<max(range.lowerBound, hostStart - 1) where !isUserinfoByte(bytes[index]) {
            return false
        }
        return isValidHostPort(bytes, hostStart, range.upperBound)
    }

    private static func isValidHostPort(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var index = start
        if index < end, bytes[index] == 0x5B {  // "[" IP-literal "]"
            index += 1
            while index < end, bytes[index] != 0x5D {
                guard isUserinfoByte(bytes[index]) else { return false }
                index += 1
            }
            guard index < end, index > start + 1 else { return false }
            index += 1
        } else {
            while index < end, bytes[index] != ASCII.colon {
                guard isNameByte(bytes[index]) else { return false }
                index += 1
            }
        }
        guard index < end else { return true }
        guard bytes[index] == ASCII.colon else { return false }
        index += 1
        while index < end {
            guard ASCII.isDigit(bytes[index]) else { return false }
            index += 1
        }
        return true
    }

    /// reg-name bytes: unreserved, "%", sub-delims.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        ASCII.isHostByte(byte) && byte != ASCII.colon && byte != 0x5B && byte != 0x5D
    }

    /// userinfo (and IP-literal) bytes: reg-name bytes and ":".
    private static func isUserinfoByte(_ byte: UInt8) -> Bool {
        ASCII.isHostByte(byte) && byte != 0x5B && byte != 0x5D
    }
}
