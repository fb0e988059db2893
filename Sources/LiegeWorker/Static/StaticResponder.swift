import LiegeHTTP
import LiegeSystem

/// Answers with one opened file: validators, conditional requests, ranges, the gzip twin, expiry,
/// then the body (small files read into the head's write, larger ones with sendfile).
final class StaticResponder {
    /// Files up to this size go out in the same write as the head.
    static let inlineLimit = 32768

    private let mime: MIMETable
    private var expires: ExpiresPolicy
    private let gzipAll: Bool
    private let gzipDirectories: [[UInt8]]
    private let gzipExtensions: [[UInt8]]
    private let buffer: UnsafeMutableRawBufferPointer

    init(settings: StaticSettings, mime: MIMETable, expires: ExpiresPolicy) {
        self.mime = mime
        self.expires = expires
        gzipAll = settings.gzipAll
        gzipDirectories = settings.gzipDirectories
        gzipExtensions = settings.gzipExtensions
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.inlineLimit, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// Sends `opened` (closing it) and returns the status sent.
    func send(_ opened: StaticOpenFile, candidate: [UInt8], root: [UInt8], request: StaticRequest,
              opener: StaticFileOpener, exchange: RequestExchange) -> Int {
        var file = opened
        let contentType = mime.type(forPath: candidate)
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        headers.reserveCapacity(10)
        if coversGzip(candidate, realPath: opened.realPath) {
            if ConditionalRequest.acceptsGzip(request.acceptEncoding),
               case .file(let compressed) = opener.open(candidate + Self.gzSuffix, root: root) {
                file = compressed
                headers.append(("Content-Encoding", "gzip"))
            }
            headers.append(("Vary", "Accept-Encoding"))
        }
        defer {
            file.close()
            if file.fd != opened.fd { opened.close() }
        }
        let info = file.info
        let lastModified = file.lastModified
        let entityTag = file.entityTag
        headers.append(("Last-Modified", lastModified))
        headers.append(("ETag", entityTag))
        if !expires.isEmpty, let expiry = expiry(opened, contentType: contentType, request: request) {
            headers.append(("Expires", HTTPDate.format(epochSeconds: expiry.expires)))
            headers.append(("Cache-Control", "max-age=\(expiry.maxAge)"))
        }
        if ConditionalRequest.isNotModified(ifNoneMatch: request.ifNoneMatch, ifModifiedSince: request.ifModifiedSince,
                                            entityTag: entityTag, modifiedSeconds: info.modifiedSeconds) {
            return respond(304, "304 Not Modified", headers: headers, file: nil, exchange: exchange)
        }
        headers.append(("Accept-Ranges", "bytes"))
        var range = (offset: 0, length: info.size)
        var status = (200, "200 OK")
        if ConditionalRequest.rangeApplies(ifRange: request.ifRange, entityTag: entityTag, lastModified: lastModified) {
            switch ByteRange.evaluate(request.range, size: info.size) {
            case .whole:
                break
            case .partial(let offset, let length):
                range = (offset, length)
                status = (206, "206 Partial Content")
                headers.append(("Content-Range", ByteRange.contentRange(offset: offset, length: length, size: info.size)))
            case .unsatisfiable:
                headers.append(("Content-Range", ByteRange.unsatisfiedRange(size: info.size)))
                return respond(416, "416 Range Not Satisfiable", headers: headers, file: nil, exchange: exchange)
            }
        }
        let body = request.isHead ? nil : (file: file, offset: range.offset, length: range.length)
        return respond(status.0, status.1, headers: headers, length: range.length, file: body, exchange: exchange)
    }

    private static let gzSuffix: [UInt8] = Array(".gz".utf8)

    private func coversGzip(_ candidate: [UInt8], realPath: [UInt8]) -> Bool {
        gzipAll
            || gzipExtensions.contains { StaticPath.hasSuffix(candidate, $0) }
            || gzipDirectories.contains { StaticPath.isInside(candidate, root: $0) || StaticPath.isInside(realPath, root: $0) }
    }

    private func expiry(_ file: StaticOpenFile, contentType: String, request: StaticRequest) -> Expiry? {
        expires.evaluate(
            path: expires.usesPath ? String(decoding: file.realPath, as: UTF8.self) : "",
            pathInfo: expires.usesPathInfo ? String(decoding: request.pathInfo, as: UTF8.self) : "",
            uri: expires.usesURI ? String(decoding: request.requestURI, as: UTF8.self) : "",
            contentType: contentType, modified: file.info.modifiedSeconds, now: wallClockSeconds())
    }

    private func respond(_ code: Int, _ status: String, headers: [(name: String, value: String)], length: Int = 0,
                         file: (file: StaticOpenFile, offset: Int, length: Int)?, exchange: RequestExchange) -> Int {
        do {
            try exchange.sendHead(status: status, headers: headers, knownLength: length)
            if let file, file.length > 0 {
                if let content = file.file.content {
                    try content.withUnsafeBytes { bytes in
                        try exchange.sendBody(UnsafeRawBufferPointer(rebasing: bytes[file.offset..<(file.offset + file.length)]))
                    }
                } else if file.length <= Self.inlineLimit {
                    try sendInline(file.file.fd, offset: file.offset, length: file.length, exchange: exchange)
                } else if try !exchange.sendFile(descriptor: file.file.fd, offset: file.offset, count: file.length) {
                    exchange.keepAlive = false
                }
            }
            try exchange.finish()
        } catch {
            exchange.keepAlive = false
        }
        return code
    }

    /// Reads a small body into the buffer so it leaves in the head's write.
    private func sendInline(_ fd: Int32, offset: Int, length: Int, exchange: RequestExchange) throws {
        var filled = 0
        while filled < length {
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<length])
            let count = try StaticFileSystem.read(fd, into: slice, at: offset + filled)
            if count == 0 { break }
            filled += count
        }
        if filled < length { exchange.keepAlive = false }  // the file shrank: the length sent is wrong, close after
        try exchange.sendBody(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
    }
}
