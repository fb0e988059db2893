import LiegeSystem
import Testing
@testable import LiegeEmperor

func status(inode: UInt64, modified: Int64 = 1, changed: Int64 = 1, size: Int = 10, owner: UInt32 = 1000,
            regular: Bool = true) -> FileStatus {
    FileStatus(device: 1, inode: inode, modifiedNanoseconds: modified, changedNanoseconds: changed, size: size,
               owner: owner, group: owner, isRegularFile: regular)
}

@Suite struct VassalFileTests {
    @Test func vassalNamesAndKinds() {
        #expect(VassalFile.kind(ofName: "shop.ini") == .ini)
        #expect(VassalFile.kind(ofName: "blog.yaml") == .yaml)
        #expect(VassalFile.kind(ofName: "blog.yml") == .yaml)
        for ignored in [".shop.ini", ".#shop.ini", "#shop.ini#", "shop.ini~", "shop.ini.swp", "shop.json", ".ini", "README"] {
            #expect(VassalFile.kind(ofName: ignored) == nil, "\(ignored)")
        }
        let file = VassalFile(fileName: "shop.v2.ini", directory: "/etc/liege/vassals", kind: .ini, target: nil)
        #expect(file.name == "shop.v2")
        #expect(file.path == "/etc/liege/vassals/shop.v2.ini")
    }

    @Test func touchOrWriteInPlaceIsAChange() {
        let before = VassalFile(fileName: "a.ini", directory: "/v", kind: .ini, target: status(inode: 5), contentDigest: 1)
        var touched = before
        touched.target = status(inode: 5, modified: 2, changed: 2)
        #expect(touched.differs(from: before))
        var chmodded = before
        chmodded.target = status(inode: 5, changed: 9)
        #expect(chmodded.differs(from: before))
        #expect(!before.differs(from: before))
    }

    @Test func aReplacementFileCountsOnlyWhenItsContentDiffers() {
        let before = VassalFile(fileName: "a.ini", directory: "/v", kind: .ini, target: status(inode: 5), contentDigest: 1)
        var sameContent = before
        sameContent.target = status(inode: 6, modified: 3)
        #expect(!sameContent.differs(from: before))
        var newContent = sameContent
        newContent.contentDigest = 2
        #expect(newContent.differs(from: before))
        var unreadable = sameContent
        unreadable.contentDigest = nil
        #expect(unreadable.differs(from: before))
    }

    @Test func digestIsFNV1a() {
        #expect(VassalFile.digest([]) == 0xcbf2_9ce4_8422_2325)
        #expect(VassalFile.digest(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    }
}
