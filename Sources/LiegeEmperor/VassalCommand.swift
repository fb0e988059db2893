/// The command line a vassal's master is started with (SPEC.md §12.2, §12.4):
/// on-demand socket first (so it is the first socket), `vassal-set` options, templates read before the
/// file, the file itself (`--ini` or `--yaml`), then the templates read after it.
public struct VassalCommand: Sendable, Equatable {
    public var arguments: [String]

    public init(file: VassalFile, settings: EmperorSettings, onDemandProtocol: String? = nil) {
        var arguments: [String] = []
        if let onDemandProtocol {
            // A placeholder the master binds and then replaces with the inherited socket (EmperorLink).
            arguments += [onDemandProtocol == "http" ? "--http-socket" : "--socket", Self.onDemandPlaceholder]
        }
        for entry in settings.vassalSet {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let key = entry[..<equals].trimmingSpaces
            let value = entry[entry.index(after: equals)...].trimmingSpaces
            arguments += ["--\(key)", value]
        }
        for template in settings.includeBefore { arguments += ["--include", template] }
        for template in settings.inheritBefore { arguments += ["--inherit", template] }
        arguments += [file.kind == .yaml ? "--yaml" : "--ini", file.path]
        for template in settings.include { arguments += ["--include", template] }
        for template in settings.inherit { arguments += ["--inherit", template] }
        self.arguments = arguments
    }

    /// The address the master binds for a moment before it adopts the on-demand socket.
    public static let onDemandPlaceholder = "127.0.0.1:0"
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
