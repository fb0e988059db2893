/// One mistake a user made in a config source, with its location.
/// `description` is the line printed to the user: `shop.ini:3: unknown option "procesess" (did you mean "processes"?)`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// "shop.ini:3", "app.yaml:4:7", or "command line: --processes".
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Every error found while loading, reported together.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]
    public init(_ errors: [ConfigError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
