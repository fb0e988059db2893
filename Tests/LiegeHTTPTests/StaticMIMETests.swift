import Testing
@testable import LiegeHTTP

@Suite struct StaticMIMETests {
    let sample = """
    # comment line
    text/css\t\t\t\tcss
    text/x-custom   cst   CST2 # trailing comment
    application/example
    image/png png
    image/other png
    """

    @Test func readsTheFileFormat() {
        let table = MIMETable(mimeTypesTexts: [sample])
        #expect(table.type(forPath: bytes("/s/a.css")) == "text/css")
        #expect(table.type(forPath: bytes("/s/a.cst")) == "text/x-custom")
        #expect(table.type(forPath: bytes("/s/a.cst2")) == "text/x-custom")
        #expect(table.type(forPath: bytes("/s/a.png")) == "image/png")  // the first definition wins
    }

    @Test func extensionsIgnoreCase() {
        let table = MIMETable(mimeTypesTexts: [sample])
        #expect(table.type(forPath: bytes("/s/A.CSS")) == "text/css")
        #expect(table.type(forPath: bytes("/s/a.Cst")) == "text/x-custom")
    }

    @Test func unknownIsOctetStream() {
        let table = MIMETable(mimeTypesTexts: [sample])
        #expect(table.type(forPath: bytes("/s/a.nothing")) == "application/octet-stream")
        #expect(table.type(forPath: bytes("/s/README")) == "application/octet-stream")
        #expect(table.type(forPath: bytes("/s/.css")) == "application/octet-stream")
        #expect(table.type(forPath: bytes("/s/a.")) == "application/octet-stream")
        #expect(table.type(forPath: bytes("/s.d/file")) == "application/octet-stream")
    }

    @Test func builtInTableFillsTheGaps() {
        let bare = MIMETable()
        #expect(bare.type(forPath: bytes("/a.js")) == "text/javascript")
        #expect(bare.type(forPath: bytes("/a.woff2")) == "font/woff2")
        #expect(bare.type(forPath: bytes("/a.svg")) == "image/svg+xml")
        #expect(MIMETable(mimeTypesTexts: [sample]).type(forPath: bytes("/a.woff2")) == "font/woff2")
        #expect(MIMETable(mimeTypesTexts: []).count == bare.count)
    }

    @Test func filesComeBeforeTheBuiltInTable() {
        let table = MIMETable(mimeTypesTexts: ["application/x-javascript js"])
        #expect(table.type(forPath: bytes("/a.js")) == "application/x-javascript")
    }
}
