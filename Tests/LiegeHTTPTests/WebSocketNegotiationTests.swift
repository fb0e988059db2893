import Testing
@testable import LiegeHTTP

@Suite struct WebSocketNegotiationTests {
    private func negotiate(_ values: String...) -> PerMessageDeflate? {
        PerMessageDeflate.negotiate(WebSocketExtensionOffer.parse(values))
    }

    @Test func parsesOffersWithParametersAndQuotes() {
        let offers = WebSocketExtensionOffer.parse([
            "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", x-webkit ,",
            "permessage-deflate ;server_no_context_takeover",
        ])
        #expect(offers == [
            .init(name: "permessage-deflate", parameters: [
                .init(name: "client_max_window_bits"), .init(name: "server_max_window_bits", value: "10"),
            ]),
            .init(name: "x-webkit"),
            .init(name: "permessage-deflate", parameters: [.init(name: "server_no_context_takeover")]),
        ])
    }

    @Test func malformedElementsAreSkipped() {
        let offers = WebSocketExtensionOffer.parse(["permessage-deflate; =1, ok, bad name, q; a=\"x,y\", last; b=\"\""])
        #expect(offers == [.init(name: "ok")])
    }

    @Test func plainOfferAcceptedAsIs() {
        let accepted = negotiate("permessage-deflate")
        #expect(accepted == PerMessageDeflate())
        #expect(accepted?.responseValue == "permessage-deflate")
    }

    @Test func noDeflateOfferMeansNone() {
        #expect(negotiate("x-webkit-deflate-frame") == nil)
        #expect(PerMessageDeflate.negotiate([]) == nil)
    }

    @Test func flagsAndWindowBitsAreEchoed() {
        let accepted = negotiate(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12")
        #expect(accepted == PerMessageDeflate(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 12))
        #expect(accepted?.responseValue == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
            + "server_max_window_bits=10; client_max_window_bits=12")
        #expect(accepted?.deflateWindowBits == 10)
    }

    @Test func clientMaxWindowBitsWithoutValueIsNotAnswered() {
        #expect(negotiate("permessage-deflate; client_max_window_bits")?.responseValue == "permessage-deflate")
    }

    @Test func invalidOffersFallBackToTheNext() {
        let invalid = [
            "permessage-deflate; server_max_window_bits",  // value required
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=010",
            "permessage-deflate; server_max_window_bits=+9",
            "permessage-deflate; client_max_window_bits=abc",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; client_no_context_takeover=\"x\"",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; unknown_parameter",
            "permessage-deflate; server_max_window_bits=8",  // zlib's raw deflate has no 256-byte window
        ]
        for offer in invalid {
            #expect(negotiate(offer) == nil, "\(offer)")
            #expect(negotiate(offer + ", permessage-deflate; client_no_context_takeover")
                == PerMessageDeflate(clientNoContextTakeover: true), "\(offer)")
        }
    }

    @Test func firstValidOfferWins() {
        let accepted = negotiate("x-other", "permessage-deflate; server_max_window_bits=9", "permessage-deflate")
        #expect(accepted == PerMessageDeflate(serverMaxWindowBits: 9))
        #expect(negotiate("permessage-deflate; client_max_window_bits=8")?.clientMaxWindowBits == 8)
    }

    @Test func handshakeNegotiatesAndAnswers() throws {
        let lines = validUpgradeLines + [
            "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=8",
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits",
        ]
        guard let head = upgradeHead(lines), case .offer(let offer) = WebSocketUpgrade.inspect(head) else {
            Issue.record("expected an offer")
            return
        }
        let deflate = PerMessageDeflate.negotiate(offer.extensions)
        #expect(deflate == PerMessageDeflate(serverNoContextTakeover: true))
        let response = String(decoding: try WebSocketAcceptance.response(for: offer, subprotocol: nil, deflate: deflate), as: UTF8.self)
        #expect(response.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"))
    }
}
