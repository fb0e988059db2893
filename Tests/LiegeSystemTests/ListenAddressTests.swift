import Testing
@testable import LiegeSystem

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8000", ListenAddress.tcp(host: "127.0.0.1", port: 8000)),
        (":8000", .tcp(host: "0.0.0.0", port: 8000)),
        ("localhost:0", .tcp(host: "localhost", port: 0)),
        ("[::1]:8000", .tcp6(host: "::1", port: 8000)),
        ("[::]:65535", .tcp6(host: "::", port: 65535)),
        ("/run/liege/shop.sock", .unix(path: "/run/liege/shop.sock")),
        ("shop.sock", .unix(path: "shop.sock")),
        ("@liege-shop", .abstract(name: "liege-shop")),
    ])
    func parsesForms(text: String, expected: ListenAddress) {
        #expect(ListenAddress(parsing: text) == expected)
    }

    @Test(arguments: ["", "@", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80x", ":-1", "::1:80", "[::1]", "[::1]80", "[]:80",
                      "127.0.0.1:123456"])
    func rejectsBadForms(text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test func describesAsWritten() {
        #expect(ListenAddress.tcp6(host: "::1", port: 9).description == "[::1]:9")
        #expect(ListenAddress.abstract(name: "x").description == "@x")
        #expect(ListenAddress.unix(path: "/a/b").filePath == "/a/b")
        #expect(ListenAddress.tcp(host: "0.0.0.0", port: 1).filePath == nil)
    }
}
