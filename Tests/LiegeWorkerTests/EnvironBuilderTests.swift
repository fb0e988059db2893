import LiegeHTTP
import Testing
@testable import LiegeWorker

@Suite struct EnvironBuilderTests {
    let endpoints = ConnectionEndpoints(remoteAddress: "10.0.0.1", remotePort: 5555, serverName: "127.0.0.1", serverPort: 8000)

    func parse(_ text: String) throws -> RequestHead {
        guard case .complete(let head, _) = HTTPHeadParser(maxHeadSize: 65535).parse(Array(text.utf8)) else {
            throw HTTPError(status: 400, reason: "test request did not parse")
        }
        return head
    }

    func value(_ variables: [(name: String, value: [UInt8])], _ name: String) -> String? {
        variables.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test func cgiVariables() throws {
        let head = try parse("POST /a%20b?x=%20 HTTP/1.1\r\nHost: h\r\nContent-Type: text/x\r\nContent-Length: 3\r\nX-Thing: 1\r\n\r\n")
        let variables = try #require(EnvironBuilder.variables(for: head, endpoints: endpoints))
        #expect(value(variables, "REQUEST_METHOD") == "POST")
        #expect(value(variables, "PATH_INFO") == "/a b")
        #expect(value(variables, "QUERY_STRING") == "x=%20")
        #expect(value(variables, "REQUEST_URI") == "/a%20b?x=%20")
        #expect(value(variables, "CONTENT_TYPE") == "text/x")
        #expect(value(variables, "CONTENT_LENGTH") == "3")
        #expect(value(variables, "HTTP_X_THING") == "1")
        #expect(value(variables, "HTTP_CONTENT_TYPE") == nil)
        #expect(value(variables, "REMOTE_ADDR") == "10.0.0.1")
        #expect(value(variables, "SERVER_PORT") == "8000")
    }

    @Test func repeatedHeadersAreJoined() throws {
        let head = try parse("GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nAccept: b\r\nCookie: x=1\r\nCookie: y=2\r\n\r\n")
        let variables = try #require(EnvironBuilder.variables(for: head, endpoints: endpoints))
        #expect(value(variables, "HTTP_ACCEPT") == "a, b")
        #expect(value(variables, "HTTP_COOKIE") == "x=1; y=2")
    }

    @Test func underscoreHeadersAreDropped() throws {
        let head = try parse("GET / HTTP/1.1\r\nHost: h\r\nX_Forwarded_For: spoof\r\n\r\n")
        let variables = try #require(EnvironBuilder.variables(for: head, endpoints: endpoints))
        #expect(value(variables, "HTTP_X_FORWARDED_FOR") == nil)
    }

    @Test func encodedNulIsRejected() throws {
        let head = try parse("GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(EnvironBuilder.variables(for: head, endpoints: endpoints) == nil)
    }
}
