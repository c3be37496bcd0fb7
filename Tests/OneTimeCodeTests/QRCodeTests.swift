import Foundation
import GenmonBasics
import GenmonTesting
import Testing
@testable import OneTimeCode

/// Reads QR codes back with zbarimg (zbar-tools), the independent check that the symbols are right.
enum ZBar {
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg") }

    /// The text zbarimg decodes from each image, in order (nil where it found no QR code). Each run is awaited
    /// through the process runner, so the I/O tests running beside it keep their threads.
    static func decode(_ images: [[UInt8]], fileExtension: String = "pgm") async throws -> [String?] {
        guard isInstalled else { throw ZBarMissing() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var results: [String?] = []
        for (index, image) in images.enumerated() {
            let file = directory.appendingPathComponent("\(index).\(fileExtension)")
            try Data(image).write(to: file)
            let (output, status) = try await ProcessRunner.run(
                "/usr/bin/zbarimg", ["--quiet", "--raw", "-Sbinary", "-Sdisable", "-Sqrcode.enable", file.path], errors: .discarded)
            guard status == 0 else { results.append(nil); continue }
            // --raw with binary output adds one trailing newline.
            var bytes = Array(output.utf8)
            if bytes.last == 0x0A { bytes.removeLast() }
            results.append(String(decoding: bytes, as: UTF8.self))
        }
        return results
    }
}

struct ZBarMissing: Error, CustomStringConvertible {
    var description: String { "zbarimg is not installed: apt-get install zbar-tools (.ci/run does)" }
}

@Suite("QR code encoder")
struct QRCodeTests {
    @Test("data capacities follow ISO/IEC 18004 table 7 (byte mode)")
    func capacities() async throws {
        // (version, level, bytes that fit): the largest payload of each must fit and one more must not.
        let table: [(Int, QRCode.ErrorCorrection, Int)] = [
            (1, .low, 17), (1, .medium, 14), (1, .quartile, 11), (1, .high, 7), (2, .medium, 26), (5, .quartile, 60),
            (7, .medium, 122), (10, .low, 271), (10, .medium, 213), (10, .high, 119), (40, .low, 2_953), (40, .medium, 2_331), (40, .high, 1_273),
        ]
        var pacer = CooperativePacer()
        for (version, level, bytes) in table {
            await pacer.pace()
            #expect(QRCode.byteCapacity(version: version, errorCorrection: level) == bytes)
            #expect(try QRCode.encode(Array(repeating: 0x41, count: bytes), errorCorrection: level, versions: version...version).version == version)
            #expect(throws: QRCodeError.self) { try QRCode.encode(Array(repeating: 0x41, count: bytes + 1), errorCorrection: level, versions: version...version) }
        }
        #expect(throws: QRCodeError.dataTooLong(bytes: 3_000, capacity: 2_953)) { try QRCode.encode(Array(repeating: 0, count: 3_000), errorCorrection: .low) }
        #expect(throws: QRCodeError.invalidVersionRange) { try QRCode.encode([1], versions: 0...3) }
        #expect(QRCode.byteCapacity(version: 41, errorCorrection: .low) == 0)
        #expect(throws: QRCodeError.invalidMask(8)) { try QRCode.encode([1], mask: 8) }
    }

    @Test("Reed–Solomon generator, format and version bits and alignment positions match the standard")
    func specFacts() {
        // Annex A: the degree-7 generator is α^0, α^87, α^229, α^146, α^149, α^238, α^102, α^21.
        #expect(QRReedSolomon.generator(degree: 7).map { QRReedSolomon.log[Int($0)] } == [87, 229, 146, 149, 238, 102, 21])
        // Annex C: format bits for mask 0 at each level, and a few others.
        #expect(QRMatrix.formatBits(level: .low, mask: 0) == 0b111011111000100)
        #expect(QRMatrix.formatBits(level: .medium, mask: 0) == 0b101010000010010)
        #expect(QRMatrix.formatBits(level: .quartile, mask: 0) == 0b011010101011111)
        #expect(QRMatrix.formatBits(level: .high, mask: 0) == 0b001011010001001)
        #expect(QRMatrix.formatBits(level: .medium, mask: 5) == 0b100000011001110)
        // Annex E.
        #expect(QRMatrix.alignmentPositions(version: 1) == [])
        #expect(QRMatrix.alignmentPositions(version: 2) == [6, 18])
        #expect(QRMatrix.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRMatrix.alignmentPositions(version: 16) == [6, 26, 50, 74])
        #expect(QRMatrix.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRMatrix.alignmentPositions(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(QRMatrix.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
        // Annex D: version 7's information is 000111110010010100; the symbol carries it bottom-left.
        let seven = QRMatrix(version: 7)
        let bits = (0..<18).reduce(0) { $0 | (seven[$1 / 3, seven.size - 11 + $1 % 3] ? 1 << $1 : 0) }
        #expect(bits == 0b000111110010010100)
        // Data modules: 208 in version 1, 29,648 in version 40 (codewords × 8 plus remainder bits).
        #expect(QRMatrix(version: 1).dataModuleCount == 208 && QRMatrix(version: 40).dataModuleCount == 29_648)
    }

    @Test("zbarimg reads back every version 1–40 at levels L and M, and 1–40 sampled at Q and H", .tags(.process), .slowTier)
    func everyVersionDecodes() async throws {
        var payloads: [String] = []
        var images: [[UInt8]] = []
        var pacer = CooperativePacer()
        for level in QRCode.ErrorCorrection.allCases {
            for version in 1...40 where level == .low || level == .medium || version % 3 == 1 {
                await pacer.pace()
                let capacity = QRCode.byteCapacity(version: version, errorCorrection: level)
                let characters = Array("genmon-0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ:/?&=")
                let text = String((0..<capacity).map { characters[($0 * 7 + version) % characters.count] })
                let code = try QRCode.encode(text: text, errorCorrection: level, versions: version...version)
                #expect(code.version == version && code.size == 17 + 4 * version)
                payloads.append(text)
                images.append(code.pgm(scale: version > 20 ? 3 : 4))
            }
        }
        pacer.finish()
        let decoded = try await ZBar.decode(images)
        for (index, text) in payloads.enumerated() {
            #expect(decoded[index] == text, "symbol \(index) (\(text.count) bytes) did not decode")
        }
    }

    @Test("every mask pattern decodes, and the penalty picks one", .tags(.process), .slowTier)
    func everyMaskDecodes() async throws {
        let text = "otpauth://totp/genmon:owner%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=genmon"
        let codes = try (0...7).map { try QRCode.encode(text: text, mask: $0) }
        #expect(codes.map(\.mask) == Array(0...7))
        for first in 0..<8 {
            for second in (first + 1)..<8 { #expect(codes[first] != codes[second]) }
        }
        #expect(try await ZBar.decode(codes.map { $0.pgm() }) == Array(repeating: text, count: 8))
        let automatic = try QRCode.encode(text: text)
        #expect(codes.contains(automatic))
    }

    @Test("UTF-8 and binary payloads survive the round trip", .tags(.process), .slowTier)
    func utf8() async throws {
        let texts = ["Générateur — état: prêt ✓", "x", String(repeating: "ab", count: 100)]
        let images = try texts.map { try QRCode.encode(text: $0).pgm() }
        #expect(try await ZBar.decode(images) == texts)
    }

    @Test("the PBM and terminal renderings draw the same modules inside a quiet zone", .tags(.process), .slowTier)
    func renderings() async throws {
        let code = try QRCode.encode(text: "genmon", errorCorrection: .medium)
        #expect(code.version == 1)
        #expect(try await ZBar.decode([Array(code.pbm().utf8)], fileExtension: "pbm") == ["genmon"])
        let side = code.size + 8
        for style in [QRCode.TerminalStyle.plainDarkOnLight, .plainLightOnDark, .colors] {
            var lines = code.terminalText(style: style).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if style == .colors {
                #expect(lines.allSatisfy { $0.hasPrefix("\u{1B}[30;107m") && $0.hasSuffix("\u{1B}[0m") })
                lines = lines.map { String($0.dropFirst("\u{1B}[30;107m".count).dropLast("\u{1B}[0m".count)) }
            }
            #expect(lines.count == (side + 1) / 2)
            #expect(lines.allSatisfy { $0.count == side })
            // Read the half blocks back into modules and compare with the symbol.
            let inkIsDark = style != .plainLightOnDark
            for (row, line) in lines.enumerated() {
                for (column, character) in line.enumerated() {
                    let (upper, lower): (Bool, Bool) = switch character {
                    case "\u{2588}": (true, true)
                    case "\u{2580}": (true, false)
                    case "\u{2584}": (false, true)
                    default: (false, false)
                    }
                    let x = column - 4, y = 2 * row - 4
                    #expect(upper == (code.isDark(x: x, y: y) == inkIsDark))
                    if y + 1 < code.size + 4 { #expect(lower == (code.isDark(x: x, y: y + 1) == inkIsDark)) }
                }
            }
        }
        #expect(code.terminalText(style: .plainDarkOnLight, quietZone: 0).split(separator: "\n").count == (code.size + 1) / 2)
    }

    @Test("enrolment end to end: secret → otpauth URI → QR → zbarimg → the same secret and codes", .tags(.process), .slowTier)
    func enrolment() async throws {
        var generator = SeededGenerator(seed: 2026)
        var payloads: [String] = []
        var images: [[UInt8]] = []
        var pacer = CooperativePacer()
        for index in 0..<20 {
            await pacer.pace()
            let secret = TOTP.generateSecret(using: &generator)
            let uri = OTPAuthURI.totp(secret: secret, issuer: "genmon \(index)", account: "owner+\(index)@example.com")
            payloads.append(uri)
            images.append(try QRCode.encode(text: uri, errorCorrection: index % 2 == 0 ? .medium : .low).pgm(scale: 3))
        }
        pacer.finish()
        let decoded = try await ZBar.decode(images)
        #expect(decoded == payloads)
        for text in decoded.compactMap({ $0 }) {
            let secretText = try #require(text.split(separator: "?").last?.split(separator: "&").first { $0.hasPrefix("secret=") }?.dropFirst("secret=".count))
            let secret = try Base32.decode(String(secretText))
            #expect(secret.count == 20)
            #expect(try TOTP(secret: secret).code(at: 1_800_000_000)?.count == 6)
        }
    }

}
