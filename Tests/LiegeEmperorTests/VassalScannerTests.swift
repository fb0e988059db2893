import LiegeSystem
import Testing
@testable import LiegeEmperor

/// A fake file system: directory listings, lstat and stat results, contents.
struct FakeTree: Sendable {
    var listings: [String: [String]] = [:]
    var links: [String: FileStatus] = [:]
    var targets: [String: FileStatus] = [:]
    var contents: [String: String] = [:]

    func scanner(_ sources: [VassalSource], followLinks: Bool = true) -> VassalScanner {
        VassalScanner(sources: sources, followLinks: followLinks,
                      list: { listings[$0] },
                      status: { path, follow in follow ? targets[path] : links[path] },
                      read: { contents[$0].map { Array($0.utf8) } })
    }

    mutating func file(_ path: String, inode: UInt64, modified: Int64 = 1, content: String = "x") {
        links[path] = status(inode: inode, modified: modified)
        targets[path] = status(inode: inode, modified: modified)
        contents[path] = content
    }

    mutating func symlink(_ path: String, to target: FileStatus?, content: String = "x") {
        links[path] = status(inode: 999, regular: false)
        targets[path] = target
        contents[path] = content
    }
}

@Suite struct VassalScannerTests {
    @Test func findsVassalFilesAndSkipsTheRest() {
        var tree = FakeTree()
        tree.listings["/v"] = ["a.ini", "b.yaml", "c.yml", ".d.ini", "e.ini~", "notes.txt", "dir.ini", "..data"]
        tree.file("/v/a.ini", inode: 1)
        tree.file("/v/b.yaml", inode: 2)
        tree.file("/v/c.yml", inode: 3)
        tree.links["/v/dir.ini"] = FileStatus(device: 1, inode: 4, modifiedNanoseconds: 0, changedNanoseconds: 0, size: 0,
                                              owner: 0, group: 0, isRegularFile: false, isDirectory: true)
        let result = tree.scanner([VassalSource(directory: "/v")]).scan()
        #expect(result.files.keys.sorted() == ["a.ini", "b.yaml", "c.yml"])
        #expect(result.files["b.yaml"]?.kind == .yaml)
        #expect(result.files["a.ini"]?.contentDigest == VassalFile.digest(Array("x".utf8)))
    }

    @Test func theSameFileNameInASecondDirectoryIsRefused() {
        var tree = FakeTree()
        tree.listings["/one"] = ["shop.ini"]
        tree.listings["/two"] = ["shop.ini", "blog.ini"]
        tree.file("/one/shop.ini", inode: 1)
        tree.file("/two/shop.ini", inode: 2)
        tree.file("/two/blog.ini", inode: 3)
        let result = tree.scanner([VassalSource(directory: "/one"), VassalSource(directory: "/two")]).scan()
        #expect(result.files["shop.ini"]?.directory == "/one")
        #expect(result.files["blog.ini"] != nil)
        #expect(result.conflicts == ["/one/shop.ini and /two/shop.ini are both vassal \"shop.ini\": /two/shop.ini ignored"])
    }

    @Test func symlinksAreFollowedUnlessNofollow() {
        var tree = FakeTree()
        tree.listings["/v"] = ["k8s.ini", "dangling.ini"]
        tree.symlink("/v/k8s.ini", to: status(inode: 50))
        tree.symlink("/v/dangling.ini", to: nil)
        let followed = tree.scanner([VassalSource(directory: "/v")]).scan()
        #expect(followed.files.keys.sorted() == ["k8s.ini"])
        #expect(followed.files["k8s.ini"]?.target?.inode == 50)
        #expect(followed.files["k8s.ini"]?.link?.inode == 999)
        let linkOnly = tree.scanner([VassalSource(directory: "/v")], followLinks: false).scan()
        #expect(linkOnly.files.keys.sorted() == ["dangling.ini", "k8s.ini"])
        #expect(linkOnly.files["k8s.ini"]?.target == nil)
    }

    @Test func aConfigMapSwapChangesOnlyTheFilesWhoseContentChanged() {
        var tree = FakeTree()
        tree.listings["/cm"] = ["a.ini", "b.ini", "..data", "..2026_1"]
        tree.symlink("/cm/a.ini", to: status(inode: 10), content: "a1")
        tree.symlink("/cm/b.ini", to: status(inode: 11), content: "b1")
        let scanner = { (tree: FakeTree) in tree.scanner([VassalSource(directory: "/cm")]) }
        let before = scanner(tree).scan().files
        tree.symlink("/cm/a.ini", to: status(inode: 20, modified: 5), content: "a2")
        tree.symlink("/cm/b.ini", to: status(inode: 21, modified: 5), content: "b1")
        let diff = ScanDiff(from: before, to: scanner(tree).scan().files)
        #expect(diff.changed.map(\.fileName) == ["a.ini"])
        #expect(diff.added.isEmpty && diff.removed.isEmpty)
    }

    @Test func unreadableDirectoriesAreReported() {
        let result = FakeTree().scanner([VassalSource(directory: "/missing")]).scan()
        #expect(result.unreadable == ["/missing"])
        #expect(result.files.isEmpty)
    }

    @Test func diffFindsAddedChangedRemoved() {
        var tree = FakeTree()
        tree.listings["/v"] = ["keep.ini", "touch.ini", "gone.ini"]
        tree.file("/v/keep.ini", inode: 1)
        tree.file("/v/touch.ini", inode: 2)
        tree.file("/v/gone.ini", inode: 3)
        let before = tree.scanner([VassalSource(directory: "/v")]).scan().files
        tree.listings["/v"] = ["keep.ini", "touch.ini", "new.ini"]
        tree.file("/v/touch.ini", inode: 2, modified: 7)
        tree.file("/v/new.ini", inode: 4)
        let diff = ScanDiff(from: before, to: tree.scanner([VassalSource(directory: "/v")]).scan().files)
        #expect(diff.added.map(\.fileName) == ["new.ini"])
        #expect(diff.changed.map(\.fileName) == ["touch.ini"])
        #expect(diff.removed.map(\.fileName) == ["gone.ini"])
        #expect(ScanDiff(from: before, to: before).isEmpty)
    }

    @Test func sourcesParseDirectoriesAndGlobs() {
        #expect(VassalSource("/etc/liege/vassals/", workingDirectory: "/") == VassalSource(directory: "/etc/liege/vassals"))
        #expect(VassalSource("/etc/liege/vassals/*.ini", workingDirectory: "/")
                == VassalSource(directory: "/etc/liege/vassals", namePattern: "*.ini"))
        #expect(VassalSource("vassals", workingDirectory: "/srv") == VassalSource(directory: "/srv/vassals"))
    }

    @Test func aNamePatternFiltersFiles() {
        var tree = FakeTree()
        tree.listings["/v"] = ["a.ini", "b.yaml"]
        tree.file("/v/a.ini", inode: 1)
        tree.file("/v/b.yaml", inode: 2)
        let result = tree.scanner([VassalSource(directory: "/v", namePattern: "*.yaml")]).scan()
        #expect(result.files.keys.sorted() == ["b.yaml"])
    }
}

@Suite struct ScanReadingTests {
    @Test func unchangedFilesAreNotReadAgain() {
        let reads = ReadCounter()
        var tree = FakeTree()
        tree.listings["/v"] = ["a.ini"]
        tree.file("/v/a.ini", inode: 1, content: "one")
        let snapshot = tree
        let scanner = VassalScanner(sources: [VassalSource(directory: "/v")], followLinks: true,
                                    list: { snapshot.listings[$0] },
                                    status: { path, follow in follow ? snapshot.targets[path] : snapshot.links[path] },
                                    read: { path in reads.add(); return snapshot.contents[path].map { Array($0.utf8) } })
        let first = scanner.scan()
        let second = scanner.scan(previous: first.files)
        #expect(reads.count == 1)
        #expect(second.files == first.files)
        _ = scanner.scan()
        #expect(reads.count == 2)
    }
}

final class ReadCounter: @unchecked Sendable {
    private(set) var count = 0
    func add() { count += 1 }
}
