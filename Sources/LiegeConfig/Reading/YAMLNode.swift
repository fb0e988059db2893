/// A YAML node with the position it started at (1-based line and column).
indirect enum YAMLNode {
    case scalar(String, plain: Bool, line: Int, column: Int)
    case sequence([YAMLNode], line: Int, column: Int)
    case mapping([(key: YAMLNode, value: YAMLNode)], line: Int, column: Int)

    var position: (line: Int, column: Int) {
        switch self {
        case let .scalar(_, _, line, column), let .sequence(_, line, column), let .mapping(_, line, column):
            (line, column)
        }
    }
}
