import LiegeSystem
import Testing
@testable import LiegeEmperor

@Suite struct ReportTests {
    @Test func jsonTextNestsAndEscapes() {
        var json = JSONText()
        json.open("{")
        json.field("a", .string("q\"b\\\n\u{1}"))
        json.field("n", .int(-3))
        json.key("list")
        json.open("[")
        json.open("{")
        json.field("x", .strings(["1", "2"]))
        json.close("}")
        json.open("{")
        json.close("}")
        json.close("]")
        json.close("}")
        #expect(json.text == #"{"a":"q\"b\\\n\u0001","n":-3,"list":[{"x":["1","2"]},{}]}"#)
    }

    @Test func inotifyRecordsAreParsedByHand() {
        var bytes: [UInt8] = []
        func record(_ watch: Int32, _ mask: UInt32, _ name: String, padTo length: Int) {
            withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(7).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length).littleEndian) { bytes += $0 }
            bytes += Array(name.utf8) + [UInt8](repeating: 0, count: length - name.utf8.count)
        }
        record(1, 0x100, "shop.ini", padTo: 16)
        record(2, 0x8000, "", padTo: 0)
        let events = Inotify.parse(bytes[...])
        #expect(events == [InotifyEvent(watch: 1, mask: 0x100, cookie: 7, name: "shop.ini"),
                           InotifyEvent(watch: 2, mask: 0x8000, cookie: 7, name: "")])
        #expect(events[1].isWatchGone)
    }

    @Test func firstLineOfAnAddressFile() {
        #expect(Governor.firstLine(Array(" 127.0.0.1:8000 \r\nrest\n".utf8)) == "127.0.0.1:8000")
        #expect(Governor.firstLine(Array("\nlater\n".utf8)) == nil)
        #expect(format1(2.46) == "2.5")
    }
}
