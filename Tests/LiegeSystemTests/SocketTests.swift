import Foundation
import Testing
@testable import LiegeSystem

@Suite struct SocketTests {
    @Test func tcpPortZeroGetsARealPortAndAcceptsConnections() throws {
        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 16)
        defer { listener.close() }
        let local = try listener.localAddress()
        #expect(local.host == "127.0.0.1")
        #expect(local.port > 0)
        #expect(listener.localAddressDescription == "127.0.0.1:\(local.port)")
        #expect(try Connection.accept(listener.fd) == nil)   // non-blocking: nobody waiting

        let client = try Connection.connect(to: .tcp(host: "127.0.0.1", port: local.port))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        defer { server.close() }
        #expect(server.peer.host == "127.0.0.1")
        #expect(server.peer.port == client.localAddressPort())
        try server.setNoDelay()

        let head = Array("HTTP/1.1 200 OK\r\n\r\n".utf8), body = Array("hello".utf8)
        try head.withUnsafeBytes { h in try body.withUnsafeBytes { b in try server.writeAll(h, b) } }
        server.shutdownWrite()
        #expect(try readToEnd(client) == "HTTP/1.1 200 OK\r\n\r\nhello")
    }

    /// A worker sets TCP_NODELAY once, on the shared listener, through a `Connection` that does not know
    /// its peer: every accepted connection must have it (it once had none, and a WebSocket app's second
    /// small message in a row waited up to 40 ms for the client's delayed ACK).
    @Test func acceptedConnectionsInheritNoDelayFromTheListener() throws {
        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 16)
        defer { listener.close() }
        let port = try listener.localAddress().port
        let plain = try Connection.connect(to: .tcp(host: "127.0.0.1", port: port))
        defer { plain.close() }
        let before = try #require(try acceptWithin(listener))
        defer { before.close() }
        #expect(!before.hasNoDelay)
        try Connection(fd: listener.fd, peer: .unix(path: "")).setTCPNoDelay()
        let client = try Connection.connect(to: .tcp(host: "127.0.0.1", port: port))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        defer { server.close() }
        #expect(server.hasNoDelay)
    }

    @Test func backlogIsClampedToSomaxconn() throws {
        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 1 << 30)
        defer { listener.close() }
        #expect(listener.backlog == somaxconn())
    }

    @Test func ipv6Loopback() throws {
        guard let listener = try? ListeningSocket.bind(.tcp6(host: "::1", port: 0), backlog: 8) else { return }   // no IPv6 here
        defer { listener.close() }
        #expect(listener.localAddressDescription.hasPrefix("[::1]:"))
    }

    @Test func unixSocketIsBoundChmoddedAndStaleFileReplaced() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.sock"
        let first = try ListeningSocket.bind(.unix(path: path), backlog: 8)
        #expect(first.localAddressDescription == path)
        // A live socket is not stolen.
        #expect(throws: SystemError.self) { try ListeningSocket.bind(.unix(path: path), backlog: 8) }
        first.close()   // the file stays behind: stale

        let listener = try ListeningSocket.bind(.unix(path: path), backlog: 8)
        defer { listener.close() }
        try listener.setPermissions(0o666)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o666)

        let client = try Connection.connect(to: .unix(path: path))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        defer { server.close() }
        try server.setNoDelay()   // no-op on unix sockets
        try Array("ping".utf8).withUnsafeBytes { try client.writeAll($0) }
        client.shutdownWrite()
        #expect(try readToEnd(server) == "ping")

        listener.removeSocketFile()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func regularFileInTheWayIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/not-a-socket"
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        #expect(throws: SystemError.self) { try ListeningSocket.bind(.unix(path: path), backlog: 8) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    }

    @Test func abstractSocket() throws {
        let name = "liege-test-\(UUID().uuidString)"
        let listener = try ListeningSocket.bind(.abstract(name: name), backlog: 8)
        defer { listener.close() }
        #expect(listener.localAddressDescription == "@\(name)")
        let client = try Connection.connect(to: .abstract(name: name))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        server.close()
    }

    @Test func bindingATakenPortFails() throws {
        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 8)
        defer { listener.close() }
        let port = try listener.localAddress().port
        let error = #expect(throws: SystemError.self) { try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: port), backlog: 8) }
        #expect(error?.isAddressInUse == true)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }

    @Test func readTimesOutDistinguishably() throws {
        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 8)
        defer { listener.close() }
        let client = try Connection.connect(to: .tcp(host: "127.0.0.1", port: try listener.localAddress().port))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        defer { server.close() }
        try server.setTimeouts(seconds: 1)
        var buffer = [UInt8](repeating: 0, count: 16)
        let error = #expect(throws: SystemError.self) { _ = try buffer.withUnsafeMutableBytes { try server.read(into: $0) } }
        #expect(error?.isTimeout == true)
    }

    @Test func sendfileSendsTheFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/page.txt"
        let content = String(repeating: "0123456789", count: 20_000)
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        let file = try Posix.openFile(path)
        defer { Posix.close(file) }
        #expect(try Posix.fileInfo(file).size == 200_000)
        #expect(try Posix.fileInfo(file).isRegularFile)

        let listener = try ListeningSocket.bind(.tcp(host: "127.0.0.1", port: 0), backlog: 8)
        defer { listener.close() }
        let client = try Connection.connect(to: .tcp(host: "127.0.0.1", port: try listener.localAddress().port))
        defer { client.close() }
        let server = try #require(try acceptWithin(listener))
        let reader = Task.detached { try readToEnd(client) }
        #expect(try server.sendfile(file: file, offset: 10, count: 199_990) == 199_990)
        #expect(try server.sendfile(file: file, offset: 199_995, count: 100) == 5)   // file ends first
        server.close()
        let received = try await reader.value
        #expect(received.count == 199_995)
        #expect(received.hasPrefix("0123456789"))
        #expect(received.hasSuffix("012345678956789"))
    }
}

func acceptWithin(_ listener: ListeningSocket) throws -> Connection? {
    _ = try Posix.poll([(listener.fd, .readable)], timeoutMilliseconds: 2000)
    return try Connection.accept(listener.fd)
}

func readToEnd(_ connection: Connection) throws -> String {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
        if count == 0 { return String(decoding: result, as: UTF8.self) }
        result += buffer[0..<count]
    }
}

extension Connection {
    func localAddressPort() -> Int { (try? localAddress().port) ?? -1 }
}
