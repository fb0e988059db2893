import Testing
@testable import LiegeHTTP

@Suite struct StaticPathTests {
    @Test(arguments: [
        "/static/a.css", "/static/", "/", "", "/static/...", "/static/..a", "/static/a..", "/static/%2e%2e",
        "/static/.hidden", "/static/./a.css", "/static//a.css",
    ])
    func safePaths(path: String) {
        #expect(StaticPath.check(bytes(path)) == .safe)
    }

    @Test(arguments: [
        "/static/../secret", "/static/..", "..", "/..", "/static/a/../../b", "/static/a\\..\\b", "/static\\a",
        "/static/../../../../etc/passwd",
    ])
    func traversals(path: String) {
        #expect(StaticPath.check(bytes(path)) == .traversal)
    }

    @Test func nulByteIsItsOwnVerdict() {
        #expect(StaticPath.check(bytes("/static/a\u{0}.css")) == .nulByte)
        #expect(StaticPath.check([0x2F, 0x00]) == .nulByte)
    }

    @Test(arguments: [
        ("/srv", "/a.css", "/srv/a.css"), ("/srv", "", "/srv"), ("/srv", "/", "/srv/"),
        ("/srv", "//a///b.css", "/srv/a/b.css"), ("/srv", "/./a/./b", "/srv/a/b"), ("/srv", "/dir/", "/srv/dir/"),
        ("/", "/etc/x", "/etc/x"), ("/srv/f.ico", "", "/srv/f.ico"),
    ])
    func joinsByComponents(root: String, rest: String, expected: String) {
        #expect(StaticPath.join(bytes(root), bytes(rest)[...]) == bytes(expected))
    }

    @Test(arguments: [
        ("/srv/static/", "/srv/static"), ("/srv//static/./x", "/srv/static/x"), ("static", "static"),
        ("./static", "static"), ("/", "/"), (".", "."), ("/srv/../etc", "/srv/../etc"),
    ])
    func normalizesRoots(root: String, expected: String) {
        #expect(StaticPath.normalizedRoot(bytes(root)) == bytes(expected))
    }

    @Test(arguments: [
        ("/srv/static/a.css", "/srv/static", true), ("/srv/static", "/srv/static", true),
        ("/srv/static2/a.css", "/srv/static", false), ("/srv/staticx", "/srv/static", false),
        ("/srv", "/srv/static", false), ("/etc/passwd", "/", true), ("/srv/static/a/b/c", "/srv/static", true),
    ])
    func containmentIsByComponents(path: String, root: String, inside: Bool) {
        #expect(StaticPath.isInside(bytes(path), root: bytes(root)) == inside)
    }

    @Test func suffixesIgnoreCase() {
        #expect(StaticPath.hasSuffix(bytes("/a/b.PHP"), bytes(".php")))
        #expect(StaticPath.hasSuffix(bytes("/a/b.php"), bytes(".php")))
        #expect(!StaticPath.hasSuffix(bytes("/a/b.phps"), bytes(".php")))
        #expect(!StaticPath.hasSuffix(bytes("/a/b.php"), []))
        #expect(StaticPath.fileName(bytes("/a/b/c.css")) == bytes("c.css")[...])
    }

    /// Random paths built from dangerous pieces: whatever `check` lets through joins to a path under the
    /// root with no `..` segment, no backslash and no NUL.
    @Test func nothingThatPassesTheCheckLeavesTheRoot() {
        let pieces: [[UInt8]] = ["/", "..", ".", "a", "%2e", "\\", "//", "b.css", "...", ".a"].map(bytes) + [[0], [0xE9]]
        var generator = SystemRandomNumberGenerator()
        let root = bytes("/srv/static")
        for _ in 0..<20_000 {
            var path = bytes("/s")
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                path += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            guard StaticPath.check(path) == .safe else {
                #expect(path.contains(0) || path.contains(0x5C) || path.split(separator: 0x2F).contains([0x2E, 0x2E][...]))
                continue
            }
            let joined = StaticPath.join(root, path[...])
            #expect(StaticPath.isInside(joined, root: root) || joined == root + [0x2F])
            #expect(!joined.split(separator: 0x2F).contains([0x2E, 0x2E][...]))
            #expect(!joined.split(separator: 0x2F).contains([0x2E][...]))
            #expect(!joined.contains(0) && !joined.contains(0x5C))
        }
    }
}
