import CLibYAML

/// Builds the first document of a YAML text into `YAMLNode`s with libyaml's event API, resolving
/// anchors and aliases. Errors carry the 1-based line and column.
struct YAMLTreeBuilder {
    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    static let maximumDepth = 64

    private enum Frame {
        case sequence(anchor: String?, line: Int, column: Int, items: [YAMLNode])
        case mapping(anchor: String?, line: Int, column: Int, items: [YAMLNode])
    }

    /// The root node (nil for an empty stream).
    static func build(_ bytes: [UInt8]) throws(Failure) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Failure(line: 1, column: 1, message: "cannot start the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        var builder = YAMLTreeBuilder()
        let outcome: Result<YAMLNode?, Failure> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(syntaxFailure(parser)) }
                defer { yaml_event_delete(&event) }
                do throws(Failure) {
                    if let done = try builder.handle(event) { return .success(done) }
                } catch {
                    return .failure(error)
                }
            }
        }
        return try outcome.get()
    }

    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    private var root: YAMLNode?

    /// Returns the root once the first document ends (`.some(nil)` for an empty stream).
    private mutating func handle(_ event: yaml_event_t) throws(Failure) -> YAMLNode?? {
        let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = Self.string(scalar.value, Int(scalar.length))
            let node = YAMLNode.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line, column: column)
            add(node, anchor: Self.optionalString(scalar.anchor))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < Self.maximumDepth else {
                throw Failure(line: line, column: column, message: "nested deeper than \(Self.maximumDepth) levels")
            }
            if event.type == YAML_SEQUENCE_START_EVENT {
                stack.append(.sequence(anchor: Self.optionalString(event.data.sequence_start.anchor), line: line, column: column, items: []))
            } else {
                stack.append(.mapping(anchor: Self.optionalString(event.data.mapping_start.anchor), line: line, column: column, items: []))
            }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { break }
            switch frame {
            case let .sequence(anchor, line, column, items):
                add(.sequence(items, line: line, column: column), anchor: anchor)
            case let .mapping(anchor, line, column, items):
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                var index = 0
                while index + 1 < items.count {
                    pairs.append((items[index], items[index + 1]))
                    index += 2
                }
                add(.mapping(pairs, line: line, column: column), anchor: anchor)
            }
        case YAML_ALIAS_EVENT:
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            guard let node = anchors[name] else {
                throw Failure(line: line, column: column, message: "unknown alias \"*\(name)\"")
            }
            add(node, anchor: nil)
        case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
            return .some(root)
        default:
            break
        }
        return nil
    }

    private mutating func add(_ node: YAMLNode, anchor: String?) {
        if let anchor { anchors[anchor] = node }
        guard let top = stack.popLast() else {
            if root == nil { root = node }
            return
        }
        switch top {
        case .sequence(let anchor, let line, let column, var items):
            items.append(node)
            stack.append(.sequence(anchor: anchor, line: line, column: column, items: items))
        case .mapping(let anchor, let line, let column, var items):
            items.append(node)
            stack.append(.mapping(anchor: anchor, line: line, column: column, items: items))
        }
    }

    private static func syntaxFailure(_ parser: yaml_parser_t) -> Failure {
        let problem = optionalString(parser.problem) ?? "invalid YAML"
        var message = "YAML syntax error: \(problem)"
        if let context = optionalString(parser.context) { message += " (\(context))" }
        return Failure(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1, message: message)
    }

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }

    private static func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
