import GenmonBasics
import GenmonTesting
import Testing
@testable import OneTimeCode

@Suite("Base32")
struct Base32Tests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test("RFC 4648 section 10 vectors, both ways")
    func rfcVectors() throws {
        for (plain, encoded) in Self.vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(try Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.encode(Array(plain.utf8), padded: false) == String(encoded.filter { $0 != "=" }))
        }
    }

    @Test("lower case, spaces and missing padding are forgiven")
    func tolerant() throws {
        #expect(try Base32.decode("mzxw6ytboi") == Array("foobar".utf8))
        #expect(try Base32.decode("MZXW 6YTB OI") == Array("foobar".utf8))
        #expect(try Base32.decode(" gezd gnbv gy3t qojq gezd gnbv gy3t qojq ") == Array("12345678901234567890".utf8))
        #expect(try Base32.decode("MZXW6YQ") == Array("foob".utf8))
    }

    @Test("other characters, misplaced padding and impossible lengths are errors")
    func strict() {
        #expect(throws: Base32Error.invalidCharacter("1")) { try Base32.decode("MZXW1YTB") }
        #expect(throws: Base32Error.invalidCharacter("-")) { try Base32.decode("MZXW-6YTB") }
        #expect(throws: Base32Error.invalidCharacter("é")) { try Base32.decode("MZXWé") }
        #expect(throws: Base32Error.invalidCharacter("\n")) { try Base32.decode("MZXW\n6YTB") }
        #expect(throws: Base32Error.self) { try Base32.decode("MZ=XW6YTB") }
        #expect(throws: Base32Error.self) { try Base32.decode("MZXW6YQ==") }  // padded to 9
        #expect(throws: Base32Error.self) { try Base32.decode("========") }
        #expect(throws: Base32Error.invalidLength(1)) { try Base32.decode("M") }
        #expect(throws: Base32Error.invalidLength(3)) { try Base32.decode("MZX") }
        #expect(throws: Base32Error.invalidLength(6)) { try Base32.decode("MZXW6Y") }
        #expect(throws: Base32Error.nonZeroTrailingBits) { try Base32.decode("MZ") }  // "f" is MY
    }

    @Test("200,000 random byte strings round-trip; random text never traps and decodes only canonically")
    func random() async throws {
        var generator = SeededGenerator(seed: 0xB32)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcxyz= 01-".unicodeScalars)
        var decoded = 0
        var pacer = CooperativePacer()
        for _ in 0..<200_000 {
            await pacer.pace()
            let bytes = (0..<Int(generator.next() % 40)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(try Base32.decode(Base32.encode(bytes, padded: generator.next() & 1 == 0)) == bytes)
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 20) { text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            if let result = try? Base32.decode(String(text)) {
                decoded += 1
                let canonical = String(text).uppercased().filter { $0 != " " && $0 != "=" }
                #expect(Base32.encode(result, padded: false) == canonical)
            }
        }
        #expect(decoded > 1_000)
    }
}
