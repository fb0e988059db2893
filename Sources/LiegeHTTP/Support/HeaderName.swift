/// Header-name comparison for code outside the parser (the worker's response and log code).
public enum HeaderName {
    /// Two header names are the same (ASCII case-insensitive), without allocating.
    public static func matches(_ name: String, _ other: String) -> Bool {
        ASCII.equalsIgnoringCase(name, other)
    }
}
