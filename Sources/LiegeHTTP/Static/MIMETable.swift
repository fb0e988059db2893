/// File extension -> media type, read from `mime.types` text (`type ext ext ...`, `#` comments),
/// with a built-in table for what the files do not name. Extensions compare case-insensitively.
public struct MIMETable: Sendable {
    public static let fallback = "application/octet-stream"
    private var types: [String: String] = [:]

    /// The built-in table alone.
    public init() {
        for (type, extensions) in Self.builtIn {
            for name in extensions.split(separator: " ") where types[String(name)] == nil {
                types[String(name)] = type
            }
        }
    }

    /// The entries of each text in order (the first definition of an extension wins), then the built-in table.
    public init(mimeTypesTexts texts: [String]) {
        var table = MIMETable(types: [:])
        for text in texts { table.add(mimeTypesText: text) }
        let builtIn = MIMETable()
        for (name, type) in builtIn.types where table.types[name] == nil { table.types[name] = type }
        self = table
    }

    private init(types: [String: String]) {
        self.types = types
    }

    /// Adds the entries of one `mime.types` file; extensions already known keep their type.
    public mutating func add(mimeTypesText text: String) {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count > 1, fields[0].contains("/") else { continue }
            let type = String(fields[0])
            for name in fields.dropFirst() {
                let key = name.lowercased()
                if types[key] == nil { types[key] = type }
            }
        }
    }

    /// The type of a file by the extension of its name; `application/octet-stream` when unknown.
    public func type(forPath path: [UInt8]) -> String {
        let name = StaticPath.fileName(path)
        guard let dot = name.lastIndex(of: 0x2E), dot > name.startIndex, dot + 1 < name.endIndex else {
            return Self.fallback
        }
        let ext = name[(dot + 1)...]
        guard ext.count <= 32 else { return Self.fallback }
        let key = String(decoding: ext.map { ASCII.lower($0) }, as: UTF8.self)
        return types[key] ?? Self.fallback
    }

    public var count: Int { types.count }

    /// What a site's static files need when no `mime.types` is installed.
    static let builtIn: [(String, String)] = [
        ("text/html", "html htm shtml"), ("text/css", "css"), ("text/javascript", "js mjs"),
        ("text/plain", "txt text log conf ini"), ("text/csv", "csv"), ("text/xml", "xml"),
        ("text/markdown", "md markdown"), ("text/calendar", "ics"), ("text/vtt", "vtt"),
        ("application/json", "json map"), ("application/manifest+json", "webmanifest"),
        ("application/ld+json", "jsonld"), ("application/xml", "xsl xsd"), ("application/rss+xml", "rss"),
        ("application/atom+xml", "atom"), ("application/pdf", "pdf"), ("application/zip", "zip"),
        ("application/gzip", "gz tgz"), ("application/x-tar", "tar"), ("application/x-bzip2", "bz2"),
        ("application/x-xz", "xz"), ("application/zstd", "zst"), ("application/wasm", "wasm"),
        ("application/msword", "doc"), ("application/rtf", "rtf"), ("application/epub+zip", "epub"),
        ("application/vnd.ms-excel", "xls"), ("application/vnd.ms-powerpoint", "ppt"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        ("application/vnd.oasis.opendocument.text", "odt"), ("application/x-shockwave-flash", "swf"),
        ("image/png", "png"), ("image/jpeg", "jpg jpeg jpe"), ("image/gif", "gif"), ("image/webp", "webp"),
        ("image/avif", "avif"), ("image/svg+xml", "svg svgz"), ("image/x-icon", "ico"), ("image/bmp", "bmp"),
        ("image/tiff", "tif tiff"), ("image/apng", "apng"), ("font/woff", "woff"), ("font/woff2", "woff2"),
        ("font/ttf", "ttf"), ("font/otf", "otf"), ("application/vnd.ms-fontobject", "eot"),
        ("audio/mpeg", "mp3"), ("audio/ogg", "ogg oga opus"), ("audio/wav", "wav"), ("audio/flac", "flac"),
        ("audio/aac", "aac"), ("audio/mp4", "m4a"), ("audio/webm", "weba"), ("video/mp4", "mp4 m4v"),
        ("video/webm", "webm"), ("video/ogg", "ogv"), ("video/quicktime", "mov"), ("video/x-msvideo", "avi"),
        ("video/mpeg", "mpeg mpg"), ("video/mp2t", "ts"),
    ]
}
