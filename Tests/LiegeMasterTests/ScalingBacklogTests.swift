import LiegeSystem
import Testing

/// The kernel's accept queue as `cheaper-algo = backlog` reads it, on real sockets that nobody accepts.
@Suite struct ScalingBacklogTests {
    /// Connects `count` clients to `address` (not accepted); returns their descriptors.
    func connect(_ count: Int, to socket: ListeningSocket) throws -> [Int32] {
        let local = try socket.localAddress()
        let text: String
        switch socket.address {
        case .unix(let path): text = path
        default: text = local.description
        }
        guard let address = ListenAddress(parsing: text) else { throw SystemError(call: "parse \(text)", errno: 0) }
        return try (0..<count).map { _ in try Connection.connect(to: address).fd }
    }

    @Test func tcpQueueCountsWaitingConnectionsAndPollSeesThem() throws {
        guard let address = ListenAddress(parsing: "127.0.0.1:0") else { Issue.record("address"); return }
        let listener = try ListeningSocket.bind(address, backlog: 64)
        defer { listener.close() }
        #expect(AcceptBacklog.waiting(on: listener.fd) == 0)
        #expect(!AcceptBacklog.anyWaiting([listener.fd]))
        let clients = try connect(5, to: listener)
        defer { clients.forEach(Posix.close) }
        #expect(AcceptBacklog.waiting(on: listener.fd) == 5)
        #expect(AcceptBacklog.anyWaiting([listener.fd]))
    }

    @Test func unixQueueCountsWaitingConnections() throws {
        let path = "/tmp/liege-backlog-test-\(Posix.processID)-\(Int.random(in: 0...1_000_000)).sock"
        guard let address = ListenAddress(parsing: path) else { Issue.record("address"); return }
        let listener = try ListeningSocket.bind(address, backlog: 64)
        defer {
            listener.close()
            listener.removeSocketFile()
        }
        #expect(AcceptBacklog.waiting(on: listener.fd) == 0)
        let clients = try connect(3, to: listener)
        defer { clients.forEach(Posix.close) }
        #expect(AcceptBacklog.waiting(on: listener.fd) == 3)
        #expect(AcceptBacklog.anyWaiting([listener.fd]))
    }
}
