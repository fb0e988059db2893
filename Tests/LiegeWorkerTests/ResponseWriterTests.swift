import LiegeHTTP
import Testing
@testable import LiegeWorker

/// ResponseWriter over an in-memory stream: framing on the wire, and the app's Content-Length kept.
@Suite struct ResponseWriterTests {
    private func start(_ writer: ResponseWriter, framing: BodyFraming, appLength: Int? = nil, keepAlive: Bool = true) {
        let headers = appLength.map { [("Content-Length", String($0))] } ?? []
        writer.start(version: .http1_1, status: "200 OK", headers: headers, framing: framing,
                     keepAlive: keepAlive, date: "Wed, 02 Dec 2026 10:00:00 GMT")
    }

    private func send(_ writer: ResponseWriter, _ parts: String...) throws {
        for part in parts {
            try Array(part.utf8).withUnsafeBytes { try writer.body($0) }
        }
    }

    @Test func bodyOfTheDeclaredLengthKeepsTheConnection() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(10), appLength: 10)
        try send(writer, "hello", "world")
        try writer.finish()
        #expect(stream.body == "helloworld")
        #expect(stream.text.contains("Content-Length: 10\r\n"))
        #expect(!stream.text.contains("Connection: close"))
        #expect(!writer.mustClose)
        #expect(writer.bodyBytes == 10)
    }

    @Test func bodyLongerThanTheAppsLengthIsCutThere() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(7), appLength: 7)
        try send(writer, "hello", "world", "more")
        try writer.finish()
        #expect(stream.body == "hellowo")
        #expect(writer.bodyBytes == 7)
        #expect(writer.mustClose)
    }

    @Test func cutInsideTheFirstChunkAndAtAnExactBoundary() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(3))
        try send(writer, "hello")
        try writer.finish()
        #expect(stream.body == "hel")
        #expect(writer.mustClose)

        let exact = MemoryStream()
        let second = ResponseWriter(stream: exact)
        start(second, framing: .length(5))
        try send(second, "hello")
        #expect(!second.mustClose)  // still exact
        try send(second, "x")
        #expect(second.mustClose)  // one byte too many
        try second.finish()
        #expect(exact.body == "hello")
    }

    @Test func largeBodyPastTheFlushThresholdIsCutToo() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(70000))
        let block = [UInt8](repeating: 0x61, count: 65536)
        try block.withUnsafeBytes { try writer.body($0) }
        try block.withUnsafeBytes { try writer.body($0) }
        try writer.finish()
        #expect(stream.body.utf8.count == 70000)
        #expect(writer.bodyBytes == 70000)
        #expect(writer.mustClose)
    }

    @Test func bodyShorterThanTheDeclaredLengthClosesTheConnection() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(100), appLength: 100)
        try send(writer, "only this")
        #expect(!writer.mustClose)  // not known before the end
        try writer.finish()
        #expect(stream.body == "only this")
        #expect(writer.mustClose)
    }

    @Test func fileBodiesAreClampedToTheLength() throws {
        let stream = MemoryStream()
        stream.fileSizes[9] = 1000
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(300), appLength: 300)
        #expect(try writer.file(descriptor: 9, offset: 100, count: nil))  // 900 bytes left in the file
        try writer.finish()
        #expect(stream.sentFiles.count == 1)
        #expect(stream.sentFiles.first?.offset == 100)
        #expect(stream.sentFiles.first?.count == 300)
        #expect(writer.bodyBytes == 300)
        #expect(writer.mustClose)

        let exact = MemoryStream()
        let second = ResponseWriter(stream: exact)
        start(second, framing: .length(50))
        #expect(try second.file(descriptor: 3, offset: 0, count: 50))
        #expect(try second.file(descriptor: 3, offset: 50, count: 10))  // nothing left: nothing sent
        #expect(exact.sentFiles.count == 1)
        #expect(second.mustClose)
    }

    @Test func chunkedAndUntilCloseBodiesAreNotLimited() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .chunked)
        try send(writer, "hello", "world")
        try writer.finish()
        #expect(stream.body == "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n")
        #expect(!writer.mustClose)

        let raw = MemoryStream()
        let second = ResponseWriter(stream: raw)
        start(second, framing: .untilClose)
        try send(second, "any", "thing")
        try second.finish()
        #expect(raw.body == "anything")
        #expect(!second.mustClose)
    }

    @Test func headResponsesSendNoBodyAndKeepTheConnection() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .none(declaredLength: nil))
        try send(writer, "ignored")
        try writer.finish()
        #expect(stream.body == "")
        #expect(!stream.text.lowercased().contains("content-length"))
        #expect(!writer.mustClose)
    }

    @Test func resetStartsTheNextResponseClean() throws {
        let stream = MemoryStream()
        let writer = ResponseWriter(stream: stream)
        start(writer, framing: .length(2))
        try send(writer, "abc")
        try writer.finish()
        #expect(writer.mustClose)
        writer.reset()
        #expect(!writer.mustClose)
        start(writer, framing: .length(3))
        try send(writer, "xyz")
        try writer.finish()
        #expect(!writer.mustClose)
        #expect(stream.text.hasSuffix("\r\n\r\nxyz"))
    }
}
