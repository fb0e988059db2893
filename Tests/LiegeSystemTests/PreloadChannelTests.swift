import Testing
@testable import LiegeSystem

/// The master <-> preloader protocol (`lazy-apps = false`): its messages as text, and the channel that
/// carries them with descriptors attached.
struct PreloadChannelTests {
    @Test func messagesRoundTripThroughTheirText() {
        let messages: [PreloadMessage] = [
            .fork(slot: 3, held: true), .fork(slot: 12, held: false), .ready, .refused(threads: 2),
            .forked(pid: 4242), .forkFailed(reason: "fork: Resource temporarily unavailable (errno 11)"),
        ]
        for message in messages {
            #expect(PreloadMessage(text: message.text) == message, "\(message.text)")
        }
        #expect(PreloadMessage.fork(slot: 3, held: true).text == "fork 3 1")
    }

    @Test func malformedMessagesAreRejected() {
        for text in ["", "fork", "fork 0 1", "fork 2 yes", "fork 2", "forked", "forked -3", "refused many", "ready now", "hello"] {
            #expect(PreloadMessage(text: text) == nil, "\(text)")
        }
    }

    @Test func aMessageCarriesDescriptorsThatWorkOnTheOtherSide() throws {
        let (master, preloader) = try MessageChannel.pair()
        defer { master.close() }
        let pipe = try Posix.pipe()
        defer { Posix.close(pipe.read) }
        try master.send(PreloadMessage.fork(slot: 1, held: false).text, descriptors: [pipe.write])
        Posix.close(pipe.write)   // the sender's copy: the receiver holds its own now
        let received = try #require(try preloader.receive())
        #expect(PreloadMessage(text: received.text) == .fork(slot: 1, held: false))
        #expect(received.descriptors.count == 1)
        let fd = try #require(received.descriptors.first)
        try Posix.writeAll(fd, "through the passed descriptor")
        Posix.close(fd)
        #expect(String(decoding: try Posix.readAll(pipe.read), as: UTF8.self) == "through the passed descriptor")
        preloader.close()
        #expect(try master.receive() == nil)   // the other end closed
    }

    @Test func messagesKeepTheirBoundaries() throws {
        let (one, other) = try MessageChannel.pair()
        defer { one.close(); other.close() }
        try one.send("ready")
        try one.send("forked 17")
        #expect(try other.waitReadable(milliseconds: 1000))
        #expect(try other.receive()?.text == "ready")
        #expect(try other.receive()?.text == "forked 17")
        #expect(try other.waitReadable(milliseconds: 0) == false)
    }

    @Test func threadCountIsReadFromProc() {
        #expect((Forking.threadCount ?? 0) >= 1)
    }
}
