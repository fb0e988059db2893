import LiegeSystem
import Testing
@testable import LiegeWorker

/// The channel between a connection's loop side and the Python thread serving it: a Python thread's
/// bytes go straight to the socket when nothing is queued ahead, in order otherwise, and a completion
/// wakes the loop only when the loop has to act on it. Over a real socket pair, no loop thread.
@Suite struct ConnectionChannelTests {
    final class Pair {
        let mine: Int32
        let peer: Int32
        init() throws {
            (mine, peer) = try Posix.socketPair()
            try Posix.setNonBlocking(mine, true)
            try Posix.setNonBlocking(peer, true)
        }
        deinit {
            Posix.close(mine)
            Posix.close(peer)
        }

        /// What the peer can read now.
        func received() -> [UInt8] {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case .done(let count) = chunk.withUnsafeMutableBytes({ SocketIO.read(peer, into: $0) }), count > 0 {
                out += chunk[..<count]
            }
            return out
        }
    }

    /// Whether the mailbox's eventfd was written (a sleeping loop would have been woken).
    func wasWoken(_ mailbox: LoopMailbox) throws -> Bool {
        let epoll = try Epoll()
        try epoll.add(mailbox.signal.fd, .readable, token: 1)
        var woken = false
        try epoll.wait(timeoutMilliseconds: 0) { _, _ in woken = true }
        mailbox.signal.drain()
        return woken
    }

    @Test func bytesGoStraightToTheSocketWhenNothingIsQueued() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        try Array("HTTP/1.1 200 OK\r\n\r\nhello".utf8).withUnsafeBytes { try channel.send($0, parker: nil) }
        #expect(pair.received() == Array("HTTP/1.1 200 OK\r\n\r\nhello".utf8))
        #expect(!channel.hasUnsentOutput)
        #expect(mailbox.take().isEmpty)   // the loop had nothing to do for it
    }

    @Test func bytesQueuedByTheLoopGoFirst() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        try Array("HTTP/1.1 100 Continue\r\n\r\n".utf8).withUnsafeBytes { try channel.write($0) }
        try Array("HTTP/1.1 200 OK\r\n\r\n".utf8).withUnsafeBytes { try channel.send($0, parker: nil) }
        #expect(pair.received().isEmpty)
        #expect(mailbox.take().count == 1)   // the loop is asked to send both
        #expect(channel.flush() == .drained)
        #expect(pair.received() == Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n".utf8))
    }

    @Test func whatTheSocketDoesNotTakeIsLeftToTheLoop() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        let big = [UInt8](repeating: 120, count: 8 << 20)
        try big.withUnsafeBytes { try channel.send($0, parker: nil) }
        #expect(channel.hasUnsentOutput)
        #expect(mailbox.take().count == 1)
        var got = pair.received()
        while got.count < big.count {
            _ = channel.flush()
            got += pair.received()
        }
        #expect(got == big)
    }

    @Test func aVanishedPeerFailsTheSend() throws {
        let (mine, peer) = try Posix.socketPair()
        defer { Posix.close(mine) }
        Posix.close(peer)
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: mine, mailbox: mailbox)
        #expect(throws: StreamError.closed) {
            try Array("late".utf8).withUnsafeBytes { try channel.send($0, parker: nil) }
        }
        #expect(mailbox.take().count == 1)   // the loop closes the connection
        #expect(throws: StreamError.closed) {
            try Array("again".utf8).withUnsafeBytes { try channel.send($0, parker: nil) }
        }
    }

    @Test func aCompletionTheLoopNeedNotHurryForWakesNobody() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(mailbox.prepareToSleep())
        #expect(!channel.setPromptCompletion(false))
        try Array("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".utf8).withUnsafeBytes { try channel.send($0, parker: nil) }
        channel.complete(reuse: true)
        mailbox.wakeIfPosted()
        #expect(try !wasWoken(mailbox))
        #expect(mailbox.take().count == 1)   // still posted: the loop's next turn takes it
        #expect(channel.takeCompletion().completion == true)
    }

    @Test func aCompletionWakesTheLoopWhenItMustAct() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        // The connection closes after the response: the loop must close it.
        let closing = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(!closing.setPromptCompletion(false))
        #expect(mailbox.prepareToSleep())
        closing.complete(reuse: false)
        mailbox.wakeIfPosted()
        #expect(try wasWoken(mailbox))
        _ = mailbox.take()
        _ = closing.takeCompletion()
        // The loop holds the next request already (prompt by default).
        let pipelined = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(mailbox.prepareToSleep())
        pipelined.complete(reuse: true)
        mailbox.wakeIfPosted()
        #expect(try wasWoken(mailbox))
        _ = mailbox.take()
        // The loop stopped accepting until a request ends.
        let awaited = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(!awaited.setPromptCompletion(false))
        mailbox.awaitsCompletions = true
        #expect(mailbox.prepareToSleep())
        awaited.complete(reuse: true)
        mailbox.wakeIfPosted()
        #expect(try wasWoken(mailbox))
    }

    /// The race behind a keep-alive request that was never answered: the app thread completes quietly
    /// (the loop did not need a wake-up then), and only after that the loop, now holding the client's next
    /// request, asks to be woken for the completion. It hears that the completion is already there, so it
    /// looks at it instead of sleeping until a wake-up that will never come.
    @Test func askingForAPromptCompletionAfterItCameQuietlyTellsTheLoop() throws {
        let pair = try Pair()
        let mailbox = try LoopMailbox()
        let channel = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(!channel.setPromptCompletion(false))
        #expect(mailbox.prepareToSleep())
        channel.complete(reuse: true)
        mailbox.wakeIfPosted()
        #expect(try !wasWoken(mailbox))
        #expect(channel.setPromptCompletion(true))   // the loop takes the completion itself
        #expect(channel.takeCompletion().completion == true)
        // A request not completed yet: the app thread will wake the loop.
        let running = ConnectionChannel(fd: pair.mine, mailbox: mailbox)
        #expect(!running.setPromptCompletion(true))
    }
}
