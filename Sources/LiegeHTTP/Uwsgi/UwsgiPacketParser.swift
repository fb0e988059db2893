/// A uwsgi-protocol request as nginx (`uwsgi_pass`) sends it.
public struct UwsgiRequest: Sendable {
    public var modifier1: UInt8
    public var modifier2: UInt8
    /// CGI-style variables in the order received (`REQUEST_METHOD`, `PATH_INFO`, `HTTP_HOST`...).
    /// Names are decoded as ISO-8859-1; values stay bytes.
    public var variables: [(name: String, value: [UInt8])]

    public init(modifier1: UInt8, modifier2: UInt8, variables: [(name: String, value: [UInt8])]) {
        self.modifier1 = modifier1
        self.modifier2 = modifier2
        self.variables = variables
    }

    /// The first value of a variable.
    public func value(_ name: String) -> [UInt8]? {
        variables.first { $0.name == name }?.value
    }
}

/// The outcome of `UwsgiPacketParser.parse`.
public enum UwsgiPacketResult: Sendable {
    /// A whole packet; the request body (CONTENT_LENGTH bytes) follows the `consumed` bytes.
    case complete(UwsgiRequest, consumed: Int)
    case needMore
    case failure(HTTPError)
}

/// Parses the uwsgi packet that starts a request: a 4-byte header (modifier1, datasize as
/// UInt16 little-endian, modifier2) and `datasize` bytes of variables, each a UInt16 LE key
/// length, the key, a UInt16 LE value length and the value.
///
/// A vars block larger than `maxPacketSize` (`buffer-size`) fails with 431 as soon as the header
/// has arrived; a variable cut short inside a complete packet with 400; modifier1 other than 0
/// (WSGI) with 501.
public struct UwsgiPacketParser: Sendable {
    public var maxPacketSize: Int

    public init(maxPacketSize: Int = 65535) {
        self.maxPacketSize = maxPacketSize
    }

    public func parse(_ bytes: UnsafeRawBufferPointer) -> UwsgiPacketResult {
        guard bytes.count >= 1 else { return .needMore }
        let modifier1 = bytes[0]
        guard modifier1 == 0 else { return .failure(.notImplemented("uwsgi modifier1 \(modifier1)")) }
        guard bytes.count >= 4 else { return .needMore }
        let size = Int(bytes[1]) | Int(bytes[2]) << 8
        guard size <= maxPacketSize else { return .failure(.headTooLarge) }
        let end = 4 + size
        guard bytes.count >= end else { return .needMore }

        var variables: [(name: String, value: [UInt8])] = []
        variables.reserveCapacity(32)
        var index = 4
        while index < end {
            guard let keyLength = Self.length(bytes, at: index, end: end), index + 2 + keyLength <= end else {
                return .failure(.badRequest("truncated uwsgi variable name"))
            }
            let keyStart = index + 2
            index = keyStart + keyLength
            guard let valueLength = Self.length(bytes, at: index, end: end), index + 2 + valueLength <= end else {
                return .failure(.badRequest("truncated uwsgi variable value"))
            }
            let valueStart = index + 2
            index = valueStart + valueLength
            let name = ASCII.string(UnsafeRawBufferPointer(rebasing: bytes[keyStart..<(keyStart + keyLength)]))
            variables.append((name, Array(bytes[valueStart..<index])))
        }
        return .complete(UwsgiRequest(modifier1: modifier1, modifier2: bytes[3], variables: variables), consumed: end)
    }

    public func parse(_ bytes: [UInt8]) -> UwsgiPacketResult {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// A UInt16 little-endian length at `index`, if both bytes are inside the packet.
    @inline(__always)
    private static func length(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> Int? {
        guard index + 2 <= end else { return nil }
        return Int(bytes[index]) | Int(bytes[index + 1]) << 8
    }
}
