import Appliance
import Foundation
import Generac
import GenmonBasics
import GenmonTesting
import Testing

@Suite("Support bundle pieces: masking, the archive, the register dump")
struct SupportPiecesTests {
    static let mymail = """
        [MyMail]
        email_pw = hunter2-secret
        email_account = me@example.com
        smtp_server = smtp.example.com
        smtp_port = 587
        # password = in a comment stays
        [gensms]
        auth_token: abcdef123456
        account_sid = AC0123456789
        appid = pushover-app
        userid = pushover-user
        api_key =
        """

    @Test("passwords, tokens, keys and ids are masked; everything else, comments and empty values stay")
    func masking() {
        let masked = SecretMask.maskINI(Self.mymail)
        for secret in ["hunter2-secret", "abcdef123456", "AC0123456789", "pushover-app", "pushover-user"] {
            #expect(!masked.contains(secret), "\(secret) leaked")
        }
        #expect(masked.contains("email_pw = ********\n"))
        #expect(masked.contains("auth_token: ********\n"))
        #expect(masked.contains("smtp_server = smtp.example.com\n"))
        #expect(masked.contains("email_account = me@example.com\n"))
        #expect(masked.contains("# password = in a comment stays\n"))
        #expect(masked.hasSuffix("api_key ="))
        let log = "login as me with hunter2-secret failed; token abcdef123456"
        #expect(SecretMask.scrub(log, secrets: SecretMask.secretValues(inINI: Self.mymail)) == "login as me with ******** failed; token ********")
    }

    @Test("the archive is a tar.gz that tar lists and unpacks byte for byte", .tags(.process), .slowTier)
    func archive() async throws {
        var archive = TarArchive()
        try archive.add("bundle/a.txt", text: "hello\n")
        let big = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try archive.add("bundle/sub/b.bin", bytes: big)
        try archive.add("bundle/empty", text: "")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(try archive.gzipped()).write(to: directory.appendingPathComponent("x.tar.gz"))
        let listing = try await ProcessRunner.check("tar", ["tzf", "x.tar.gz"], workingDirectory: directory)
        #expect(listing == "bundle/a.txt\nbundle/sub/b.bin\nbundle/empty\n")
        try await ProcessRunner.check("tar", ["xzf", "x.tar.gz"], workingDirectory: directory)
        #expect(try Data(contentsOf: directory.appendingPathComponent("bundle/sub/b.bin")) == Data(big))
        #expect(try String(contentsOf: directory.appendingPathComponent("bundle/a.txt"), encoding: .utf8) == "hello\n")
    }

    @Test("tar headers: ustar magic, octal size, a checksum tar accepts; names over 100 bytes are refused")
    func headers() throws {
        var archive = TarArchive(modificationTime: Date(timeIntervalSince1970: 0))
        try archive.add("f", text: "abc")
        let bytes = archive.tarBytes
        #expect(bytes.count == 512 + 512 + 1024)
        #expect(Array(bytes[257..<262]) == Array("ustar".utf8))
        #expect(String(decoding: bytes[124..<135], as: UTF8.self) == "00000000003")
        let stored = Int(String(decoding: bytes[148..<154], as: UTF8.self), radix: 8)
        var header = Array(bytes[0..<512])
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        #expect(stored == header.reduce(0) { $0 + Int($1) })
        #expect(throws: TarArchive.Problem.nameTooLong(String(repeating: "n", count: 101))) {
            try archive.add(String(repeating: "n", count: 101), text: "")
        }
        let gzip = try archive.gzipped()
        #expect(Array(gzip.prefix(2)) == [0x1F, 0x8B])
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: "/work/shared/fixtures/" + name))
    }

    @Test("the original's allregs_json becomes a genmon-register-dump/1 that the simulator's loader reads back")
    func dumpFromAllRegisters() throws {
        for name in ["evo_ac_issue49_raymondjclark_20171108", "nexus_lc_issue35_JeanB51"] {
            let dump = try RegisterDump(allRegistersJSON: try Self.fixture("answers/\(name)/allregs_json.json"))
            let reloaded = try RegisterImage(dumpJSON: Data(dump.json.utf8))
            #expect(reloaded == dump.image)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(dump.json.utf8)) as? [String: Any])
            #expect(object["format"] as? String == "genmon-register-dump/1")
            #expect(object["raw_registers"] is [String: String])
            // Every register the original dump holds reads the same in ours (the monitor read them all).
            let original = try RegisterImage(dumpJSON: try Self.fixture("dumps/\(name).json"))
            let differing = original.words.filter { address, word in dump.image.word(at: address).map { $0 != word } ?? false }
            #expect(differing.isEmpty, "\(name): \(differing.count) registers differ")
        }
    }

    @Test("malformed allregs answers are typed errors, never traps: every truncation and seeded random bytes")
    func malformedDumps() throws {
        let good = try Self.fixture("answers/evo_ac_issue49_raymondjclark_20171108/allregs_json.json")
        for length in stride(from: 0, to: good.count, by: 7) {
            _ = try? RegisterDump(allRegistersJSON: good.prefix(length))
        }
        #expect(throws: RegisterImageError.malformedJSON("no Registers.Holding list")) { try RegisterDump(allRegistersJSON: Data("{}".utf8)) }
        #expect(throws: RegisterImageError.invalidAddress("zz")) {
            try RegisterDump(allRegistersJSON: Data(#"{"Registers": {"Holding": [{"zz": "0000"}]}}"#.utf8))
        }
        #expect(throws: RegisterImageError.invalidHexValue("123")) {
            try RegisterDump(allRegistersJSON: Data(#"{"Registers": {"Holding": [{"0001": "123"}]}}"#.utf8))
        }
        var random = SeededGenerator(seed: 17)
        var accepted = 0
        for _ in 0..<20_000 {
            var text = Array(good.prefix(400))
            for _ in 0..<3 { text[Int(random.next() % UInt64(text.count))] = UInt8(truncatingIfNeeded: random.next()) }
            let json = #"{"Registers": {"Holding": [{""# + String(decoding: text.prefix(Int(random.next() % 6)), as: UTF8.self)
                + #"": ""# + String(decoding: text.suffix(Int(random.next() % 12)), as: UTF8.self) + #""}]}}"#
            if let dump = try? RegisterDump(allRegistersJSON: Data(json.utf8)) {
                accepted += 1
                #expect(try RegisterImage(dumpJSON: Data(dump.json.utf8)) == dump.image)
            }
        }
        _ = accepted
    }

    @Test("NOTIFY_SOCKET values and INI lines from seeded random text never trap")
    func randomText() {
        var random = SeededGenerator(seed: 0x5D)
        let alphabet = Array("@/=:#;[] \tpasswordtokenkey\u{0}é\n".unicodeScalars)
        for _ in 0..<200_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 40) { text.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            if let address = try? NotifySocketAddress(text) {
                #expect(address.pathBytes.count <= NotifySocketAddress.maximumLength)
            }
            let masked = SecretMask.maskINI(text)
            #expect(masked.split(separator: "\n", omittingEmptySubsequences: false).count == text.split(separator: "\n", omittingEmptySubsequences: false).count)
        }
    }
}
