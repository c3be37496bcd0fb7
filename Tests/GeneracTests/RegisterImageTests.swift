import Foundation
import Testing
@testable import Generac

@Suite("Register image")
struct RegisterImageTests {
    @Test("Hex words parse in either case and unknown registers read as zero")
    func parsesHexWords() throws {
        let image = try RegisterImage(hexWords: ["0001": "0003", "01F4": "3030", "a": "FFff"])
        #expect(image[0x0001] == 3)
        #expect(image[0x01F4] == 0x3030)
        #expect(image[0x000A] == 0xFFFF)
        #expect(image[0x0002] == 0)
        #expect(!image.contains(0x0002))
        #expect(image.word(at: 0x0002) == nil)
    }

    @Test("Bad text throws a typed error instead of trapping", arguments: [
        (["zz01": "0000"], RegisterImageError.invalidAddress("zz01")),
        (["12345": "0000"], RegisterImageError.invalidAddress("12345")),
        (["": "0000"], RegisterImageError.invalidAddress("")),
        (["0001": "00g1"], RegisterImageError.invalidWord(address: "0001", value: "00g1")),
        (["0001": "+001"], RegisterImageError.invalidWord(address: "0001", value: "+001")),
        (["0001": "001"], RegisterImageError.invalidWord(address: "0001", value: "001")),
        (["0001": "00001"], RegisterImageError.invalidWord(address: "0001", value: "00001")),
        (["-001": "0001"], RegisterImageError.invalidAddress("-001")),
    ])
    func rejectsBadHex(words: [String: String], expected: RegisterImageError) {
        #expect(throws: expected) { try RegisterImage(hexWords: words) }
    }

    @Test("Dump JSON without a registers object is rejected")
    func rejectsMalformedJSON() {
        #expect(throws: RegisterImageError.malformedJSON("no registers object")) {
            try RegisterImage(dumpJSON: Data(#"{"regs": {}}"#.utf8))
        }
        #expect(throws: RegisterImageError.malformedJSON("not JSON")) { try RegisterImage(dumpJSON: Data("{".utf8)) }
        #expect(throws: RegisterImageError.invalidWord(address: "0001", value: "1")) {
            try RegisterImage(dumpJSON: Data(#"{"registers": {"0001": 1}}"#.utf8))
        }
    }

    @Test("Pairs put the first register in the high half, bytes and ASCII follow wire order")
    func pairsBytesAndText() {
        var image = RegisterImage()
        image.store([0x0003, 0x0000], at: 0x0001)
        image.store([0x3030, 0x3037, 0x3732, 0x3239, 0x3837], at: 0x01F4)
        #expect(image.pair(at: 0x0001) == 0x0003_0000)
        #expect(image.highByte(0x01F4) == 0x30)
        #expect(image.lowByte(0x01F5) == 0x37)
        #expect(image.ascii(from: 0x01F4, words: 5) == "0007722987")
        image[0x01F6] = 0x3700
        #expect(image.ascii(from: 0x01F4, words: 5) == "00077")
        #expect(image.bytes(from: 0x0001, words: 2) == [0, 3, 0, 0])
    }

    @Test("Upstream cache text stores and renders multi-word reads")
    func cacheTextRoundTrip() throws {
        var image = RegisterImage()
        try image.store(hex: "00030000", at: 0x0001)
        #expect(image.hex(at: 0x0001, words: 2) == "00030000")
        try image.store(hex: "20030a080a2d18030ad2", at: 0x03E8)
        #expect(image[0x03EC] == 0x0AD2)
        #expect(throws: RegisterImageError.invalidHexValue("123")) { try image.store(hex: "123", at: 0) }
        #expect(throws: RegisterImageError.invalidHexValue("")) { try image.store(hex: "", at: 0) }
        #expect(throws: RegisterImageError.invalidHexValue("00x0")) { try image.store(hex: "00x0", at: 0) }
    }

    @Test("Addresses wrap instead of overflowing at the top of the map")
    func wrapsAtTopOfMap() {
        var image = RegisterImage()
        image.store([1, 2], at: 0xFFFF)
        #expect(image[0xFFFF] == 1)
        #expect(image[0x0000] == 2)
        #expect(image.pair(at: 0xFFFF) == 0x0001_0002)
    }
}
