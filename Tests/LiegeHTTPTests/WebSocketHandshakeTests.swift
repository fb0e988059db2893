import Testing
@testable import LiegeHTTP

@Suite struct WebSocketHandshakeTests {
    private func outcome(_ lines: [String], requestLine: String = "GET /chat HTTP/1.1") -> WebSocketUpgrade.Outcome? {
        upgradeHead(lines, requestLine: requestLine).map(WebSocketUpgrade.inspect)
    }

    private func offer(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> WebSocketOffer? {
        guard case .offer(let offer) = outcome(lines) else {
            Issue.record("expected an offer", sourceLocation: sourceLocation)
            return nil
        }
        return offer
    }

    private func refusal(_ lines: [String], requestLine: String = "GET /chat HTTP/1.1") -> WebSocketRefusal? {
        guard case .refusal(let refusal) = outcome(lines, requestLine: requestLine) else { return nil }
        return refusal
    }

    private func replacing(_ prefix: String, with line: String?) -> [String] {
        validUpgradeLines.compactMap { $0.hasPrefix(prefix) ? line : $0 }
    }

    @Test func acceptKeyOfRFC6455Section1_3() {
        #expect(WebSocketAcceptance.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func sha1AndBase64KnownVectors() {
        #expect(Base64.encode(SHA1.digest(Array("abc".utf8))) == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        #expect(Base64.encode(SHA1.digest([])) == "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
        let long = Array(String(repeating: "a", count: 1000).utf8)  // several blocks, padding in its own block
        #expect(Base64.encode(SHA1.digest(long)) == "KR6abGaZSUm1e6XmUDYemPw2sbo=")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.decode("Zm8=") == Array("fo".utf8))
        #expect(Base64.decode("Zm9=") == nil, "non-zero padding bits")
        #expect(Base64.decode("Zm8") == nil)
        #expect(Base64.decode("Z===") == nil)
        #expect(Base64.decode("Zm=8") == nil)
        #expect(Base64.decode("Zm8*") == nil)
    }

    @Test func validHandshakeGivesTheOffer() {
        let lines = validUpgradeLines + [
            "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Protocol: v2",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
        ]
        guard let offer = offer(lines) else { return }
        #expect(offer.key == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(offer.subprotocols == ["chat", "superchat", "v2"])
        #expect(offer.extensions == [.init(name: "permessage-deflate", parameters: [.init(name: "client_max_window_bits")])])
    }

    @Test func upgradeAndConnectionTokensAreListsInAnyCase() {
        let lines = replacing("Upgrade", with: "upgrade: h2c, WebSocket").map {
            $0.hasPrefix("Connection") ? "connection: keep-alive, UPGRADE" : $0
        }
        #expect(offer(lines) != nil)
        guard let head = upgradeHead(lines) else { return }
        #expect(WebSocketUpgrade.isUpgradeRequest(head))
    }

    @Test func plainRequestIsNotAnUpgrade() {
        guard let head = upgradeHead(["Host: x", "Upgrade: h2c", "Connection: Upgrade"]) else { return }
        #expect(!WebSocketUpgrade.isUpgradeRequest(head))
        guard case .notWebSocket = WebSocketUpgrade.inspect(head) else {
            Issue.record("expected notWebSocket")
            return
        }
    }

    @Test func refusals() {
        #expect(refusal(validUpgradeLines, requestLine: "POST /chat HTTP/1.1")?.status == 400)
        #expect(refusal(validUpgradeLines, requestLine: "GET /chat HTTP/1.0")?.status == 400)
        #expect(refusal(replacing("Connection", with: nil))?.status == 400)
        #expect(refusal(replacing("Connection", with: "Connection: keep-alive"))?.status == 400)
        #expect(refusal(replacing("Sec-WebSocket-Key", with: nil))?.status == 400)
        #expect(refusal(replacing("Sec-WebSocket-Key", with: "Sec-WebSocket-Key: c2hvcnQ="))?.status == 400)  // 5 bytes
        #expect(refusal(replacing("Sec-WebSocket-Key", with: "Sec-WebSocket-Key: not base64 at all!!"))?.status == 400)
        #expect(refusal(validUpgradeLines + ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="])?.status == 400)
        for version in [nil, "Sec-WebSocket-Version: 8", "Sec-WebSocket-Version: 13, 8"] {
            let refused = refusal(replacing("Sec-WebSocket-Version", with: version))
            #expect(refused?.status == 426)
            #expect(refused?.headers.map(\.name) == ["Sec-WebSocket-Version"])
            #expect(refused?.headers.map(\.value) == ["13"])
        }
    }

    @Test func refusalResponseBytes() {
        guard let refused = refusal(replacing("Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 7")) else {
            Issue.record("expected a refusal")
            return
        }
        let text = String(decoding: refused.response(date: "Thu, 01 Jan 1970 00:00:00 GMT"), as: UTF8.self)
        #expect(text == "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nServer: liege\r\n"
            + "Content-Length: 34\r\nConnection: close\r\n\r\nunsupported Sec-WebSocket-Version\n")
        let denied = String(decoding: WebSocketRefusal.response(status: 403, headers: [], body: "", date: nil), as: UTF8.self)
        #expect(denied.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(denied.contains("\r\nConnection: close\r\n"))
        #expect(denied.hasSuffix("\r\n\r\n403 Forbidden\n"))
    }

    @Test func acceptanceBytes() throws {
        let offer = WebSocketOffer(key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocols: ["chat", "superchat"], extensions: [])
        let response = try WebSocketAcceptance.response(
            for: offer, subprotocol: "superchat", deflate: PerMessageDeflate(clientNoContextTakeover: true),
            headers: [(name: Array("x-app".utf8), value: Array("1".utf8))])
        #expect(String(decoding: response, as: UTF8.self) == "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: superchat\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"
            + "Server: liege\r\nx-app: 1\r\n\r\n")
        let plain = try WebSocketAcceptance.response(for: offer, subprotocol: nil, deflate: nil)
        #expect(!String(decoding: plain, as: UTF8.self).contains("Sec-WebSocket-Protocol"))
        #expect(!String(decoding: plain, as: UTF8.self).contains("Sec-WebSocket-Extensions"))
    }

    @Test func subprotocolMustBeOffered() {
        let offer = WebSocketOffer(key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocols: ["chat"], extensions: [])
        #expect(throws: WebSocketHandshakeError.subprotocolNotOffered("Chat")) {
            try WebSocketAcceptance.response(for: offer, subprotocol: "Chat", deflate: nil)
        }
        let none = WebSocketOffer(key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocols: [], extensions: [])
        #expect(throws: WebSocketHandshakeError.subprotocolNotOffered("chat")) {
            try WebSocketAcceptance.response(for: none, subprotocol: "chat", deflate: nil)
        }
    }

    @Test func appHeadersAreChecked() {
        let offer = WebSocketOffer(key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocols: [], extensions: [])
        let cases: [([UInt8], [UInt8], WebSocketHandshakeError)] = [
            (Array("x-a".utf8), Array("1\r\nx-b: 2".utf8), .invalidHeader(name: Array("x-a".utf8))),
            (Array("x-a".utf8), Array("1\n".utf8), .invalidHeader(name: Array("x-a".utf8))),
            (Array("x a".utf8), Array("1".utf8), .invalidHeader(name: Array("x a".utf8))),
            (Array("x\r\n".utf8), Array("1".utf8), .invalidHeader(name: Array("x\r\n".utf8))),
            ([], Array("1".utf8), .invalidHeader(name: [])),
            (Array("Sec-WebSocket-Protocol".utf8), Array("chat".utf8), .reservedHeader(name: Array("Sec-WebSocket-Protocol".utf8))),
            (Array("connection".utf8), Array("close".utf8), .reservedHeader(name: Array("connection".utf8))),
        ]
        for (name, value, error) in cases {
            #expect(throws: error) {
                try WebSocketAcceptance.response(for: offer, subprotocol: nil, deflate: nil, headers: [(name: name, value: value)])
            }
        }
    }
}
