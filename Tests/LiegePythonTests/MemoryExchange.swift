import Foundation
@testable import LiegePython

struct ClientGone: Error {}

/// An in-memory transport that records everything the bridge sends (not the thing under test).
final class MemoryExchange: WSGIExchange, @unchecked Sendable {
    private let body: [UInt8]
    private var readOffset = 0
    /// Largest piece handed out per readBody call (exercises the bridge's buffering).
    var readPiece = 7_001
    var failReading = false
    var failSendingBody = false
    var acceptSendFile = true
    /// Time each sendBody blocks (as a slow client would).
    var sendDelay: TimeInterval = 0

    private(set) var status: String?
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var knownLength: Int??
    private(set) var sent: [UInt8] = []
    private(set) var events: [String] = []
    private(set) var logs: [String] = []
    private(set) var sendFileCalls: [(descriptor: Int32, offset: Int, count: Int?)] = []

    init(body: [UInt8] = []) {
        self.body = body
    }

    var sentText: String { String(decoding: sent, as: UTF8.self) }
    var log: String { logs.joined(separator: "\n") }
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    func readBody(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if failReading { throw ClientGone() }
        let count = min(buffer.count, readPiece, body.count - readOffset)
        guard count > 0 else { return 0 }
        body.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[readOffset..<(readOffset + count)]))
        }
        readOffset += count
        return count
    }

    func sendHead(status: String, headers: [(name: String, value: String)], knownLength: Int?) throws {
        precondition(self.status == nil, "head sent twice")
        self.status = status
        self.headers = headers
        self.knownLength = .some(knownLength)
        events.append("head")
    }

    func sendBody(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(status != nil, "body before head")
        precondition(!bytes.isEmpty, "empty body chunk")
        if failSendingBody { throw ClientGone() }
        if sendDelay > 0 { Thread.sleep(forTimeInterval: sendDelay) }
        sent += bytes
        events.append("body")
    }

    func sendFile(descriptor: Int32, offset: Int, count: Int?) throws -> Bool {
        precondition(status != nil, "file before head")
        sendFileCalls.append((descriptor, offset, count))
        guard acceptSendFile else { return false }
        var position = offset
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let read = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(position)) }
            if read <= 0 { break }
            sent += chunk[0..<read]
            position += read
        }
        events.append("file")
        return true
    }

    func finish() throws {
        events.append("finish")
    }

    func logError(_ text: String) {
        logs.append(text)
    }
}
