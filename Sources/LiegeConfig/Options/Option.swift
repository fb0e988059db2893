/// A typed key of the registry: `config[.harakiri]` is an `Int`, `config[.staticExpires]` a list of
/// compiled rules. The value comes from the one parser of the option (`OptionSpec.parse`), which the
/// loader ran when it validated the entry; the default is the registry's, parsed by that same parser.
/// The keys are declared beside their options, in the `Options+*.swift` files.
///
/// Three shapes, chosen by the key's declaration:
/// - a single value with a default (or a boolean, false by default): the last value given, else the default;
/// - an optional single value (no default): the last value given, else nil;
/// - a list: every value given, in order; when none was given, the default (if any) as the only element.
public struct Option<Value: Sendable>: Sendable {
    public let name: String
    let read: @Sendable (_ given: [any Sendable], _ fallback: (any Sendable)?) -> Value

    private init(_ name: String, read: @escaping @Sendable ([any Sendable], (any Sendable)?) -> Value) {
        precondition(OptionRegistry.spec(named: name)?.name == name, "\"\(name)\" is not a canonical option name in OptionRegistry")
        self.name = name
        self.read = read
    }

    /// A single value: the last one given, else the registry default (an option without one must be a boolean).
    init(_ name: String) {
        precondition(OptionRegistry.parsedDefault(of: name) != nil, "option \"\(name)\" has no default: declare its key optional")
        self.init(name) { given, fallback in
            Self.cast(given.last ?? fallback, name)
        }
    }

    /// An optional single value: the last one given, else the registry default, else nil.
    init<Wrapped: Sendable>(optional name: String) where Value == Wrapped? {
        self.init(name) { given, fallback in
            (given.last ?? fallback).map { Option<Wrapped>.cast($0, name) }
        }
    }

    /// Every value given in order; none given: the registry default as the only element, if there is one.
    init<Element: Sendable>(list name: String) where Value == [Element] {
        self.init(name) { given, fallback in
            let values = given.isEmpty ? fallback.map { [$0] } ?? [] : given
            return values.map { Option<Element>.cast($0, name) }
        }
    }

    private static func cast(_ value: (any Sendable)?, _ name: String) -> Value {
        guard let typed = value as? Value else {
            preconditionFailure("option \"\(name)\" does not hold a \(Value.self) (its parser gives \(value.map { "\(type(of: $0))" } ?? "nothing"))")
        }
        return typed
    }
}

extension Config {
    /// The typed value of an option (see `Option`).
    public subscript<Value>(_ option: Option<Value>) -> Value {
        option.read(parsed.values(of: option.name), OptionRegistry.parsedDefault(of: option.name))
    }

    /// Whether the option was given in some source (defaults do not count).
    public func isSet<Value>(_ option: Option<Value>) -> Bool {
        !parsed.values(of: option.name).isEmpty
    }

    /// The values of several list options merged in config order (`static-map`, `static-map2` and
    /// `check-static` make one table; so do the daemon and the cron options).
    public func inOrder<Element>(_ options: [Option<[Element]>]) -> [Element] {
        let names = Set(options.map(\.name))
        return parsed.ordered.compactMap { entry in
            guard names.contains(entry.name) else { return nil }
            guard let typed = entry.value as? Element else {
                preconditionFailure("option \"\(entry.name)\" does not hold a \(Element.self)")
            }
            return typed
        }
    }
}
