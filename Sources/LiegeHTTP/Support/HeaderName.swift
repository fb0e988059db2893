/// Header-name comparison for code outside the parser (the worker's response and log code).
public enum HeaderName {
    /// Two header names are the same (ASCII case-insensitive), without allocating.
    public static func matches(_ name: String, _ other: String) -> Bool {
        ASCII.equalsIgnoringCase(name, other)
    }

    /// A header name as bytes against a lower-case ASCII name (`lowered`), ASCII case-insensitively.
    /// Inlinable: specialised where it is called (the worker's ASGI path), not a generic call per byte.
    @inlinable
    public static func matches<Name: Collection<UInt8>>(_ name: Name, _ lowered: StaticString) -> Bool {
        guard name.count == lowered.utf8CodeUnitCount else { return false }
        var other = lowered.utf8Start
        for byte in name {
            let folded = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if folded != other.pointee { return false }
            other += 1
        }
        return true
    }
}
