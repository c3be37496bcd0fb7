import Testing
@testable import Generac

@Suite("Register map")
struct RegisterMapTests {
    /// The original's polling lists (docs/registers.md#polling), written out address by address.
    static let specBaseList = """
    0000 0005 0006 0007 0008 000a 000b×2 000e 000f 0010 0011 0012 0019 001a 001b
    001c 001d 001e 001f 0020 0021 0022 002a 002b 002c 002d 002e 002f 0051 0054 0055
    0056 0057 0058 0059 005a 005d 005e×2 0062 003c 05fa 0033 0034 0032 0035 0036
    0037 0038 0039 003a×2 0208 020a 020b 020c 020e 0212 0213 004c 0234 0235 0236 0237
    0238 0239 023b 023e 023f 0209 020d 020f 023a 023d 0241 0242 0243 0244 0245 0246
    0247 0248 0249 024a 0255 0256 0258 025a 005c 05ed 05ee 05f2 05f3 05f4 05f5 05f6
    05f7 0639 063a 07e6 07e7 1f72 1f73 1f74 1f75 1f76 1f77 1f7b 1f7c×2 1fa4 1fa5 1fa6
    2134 2135 2136 2137 2138 2166 0608 060c 0613 0614 2008
    """

    @Test("Base registers are the original's 121, in order, with the 2-word pairs")
    func baseListMatchesSpec() {
        let expected = Self.specBaseList.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { token in
            token.hasSuffix("×2") ? (String(token.dropLast(2)), 2) : (String(token), 1)
        }
        #expect(expected.count == 121)
        #expect(RegisterMap.base.map(\.key) == expected.map(\.0))
        #expect(RegisterMap.base.map(\.words) == expected.map(\.1))
    }

    @Test("Prime registers are the original's 9, in order")
    func primeListMatchesSpec() {
        #expect(RegisterMap.prime.map(\.key) == ["0001", "000d", "0018", "0053", "0052", "0009", "05f1", "0637", "0638"])
        #expect(RegisterMap.prime.map(\.words) == [2, 1, 1, 1, 1, 1, 1, 1, 1])
        #expect(RegisterMap.prime.allSatisfy { $0.group == .hot })
        #expect(!RegisterMap.base.contains { $0.group == .hot })
    }

    @Test("One polling cycle is 310 reads with the prime set before every sixth base register")
    func pollingCycle() {
        let cycle = RegisterMap.pollingCycle
        #expect(cycle.count == 310)
        #expect(Array(cycle.prefix(10).map(\.key)) == RegisterMap.prime.map(\.key) + ["0000"])
        #expect(cycle[14].key == RegisterMap.base[5].key)
        #expect(Array(cycle[15..<24].map(\.key)) == RegisterMap.prime.map(\.key))
        #expect(cycle[24].key == RegisterMap.base[6].key)
        #expect(cycle.filter { $0.address == 0x0001 }.count == 21)
        #expect(cycle.last?.key == "2008")
    }

    @Test("Every listed register has a label and the addresses are unique")
    func labelsAndUniqueness() {
        let all = RegisterMap.prime + RegisterMap.base + [RegisterMap.serialNumber, RegisterMap.pz200Identity]
        #expect(Set(all.map(\.address)).count == all.count)
        #expect(all.allSatisfy { !$0.label.isEmpty })
        #expect(RegisterMap.label(for: 0x012C) == "Run Log entry 1")
        #expect(RegisterMap.label(for: 0x03ED) == "Evolution Alarm Log entry 2")
        #expect(RegisterMap.label(for: 0x0128) == "Nexus Alarm Log entry 50")
        #expect(RegisterMap.label(for: 0x7777) == nil)
    }

    @Test("Variant usage follows the register table")
    func variantUsage() {
        #expect(RegisterMap.spec(for: 0x0058)?.isUsed(by: .evolutionLC) == true)
        #expect(RegisterMap.spec(for: 0x0058)?.isUsed(by: .evolutionAC) == false)
        #expect(RegisterMap.spec(for: 0x0019)?.isUsed(by: .nexusLC) == false)
        #expect(RegisterMap.spec(for: 0x0019)?.isUsed(by: .evolution2) == true)
        #expect(RegisterMap.spec(for: 0x023B)?.usedBy == [.evolutionLC, .evolutionLC45, .evolution2])
        #expect(RegisterMap.spec(for: 0x05EE)?.isUsed(by: .powerPact) == false)
        #expect(RegisterMap.spec(for: 0x0012)?.isUsed(by: .preNexus) == false)
        #expect(RegisterMap.registersUsed(by: .nexusLC).contains { $0.address == 0x020A })
        #expect(!RegisterMap.registersUsed(by: .nexusLC).contains { $0.address == 0x05F4 })
    }

    @Test("Log ranges start, stride and end where docs/registers.md#log-ranges says")
    func logRanges() {
        #expect(LogRange.run.lastEntryAddress == 0x01F0)
        #expect(LogRange.evolutionAlarm.lastEntryAddress == 0x04DD)
        #expect(LogRange.evolutionService.lastEntryAddress == 0x05A6)
        #expect(LogRange.nexusAlarm.lastEntryAddress == 0x0128)
        #expect(LogRange.run.entryAddresses.count == 50)
        #expect(LogRange.evolutionAlarm.entryIndex(startingAt: 0x03ED) == 1)
        #expect(LogRange.evolutionAlarm.entryIndex(startingAt: 0x03EC) == nil)
        #expect(LogRange.ranges(for: ControllerIdentity(variant: .evolutionLC)).map(\.kind.title) == ["Alarm Log", "Service Log", "Run Log"])
        #expect(LogRange.ranges(for: ControllerIdentity(variant: .nexusAC)).map(\.kind.title) == ["Alarm Log", "Run Log"])
    }

    @Test("Cache validation accepts known registers with the right length only", arguments: [
        (RegisterAddress(0x0001), 2, ControllerVariant?.some(.evolutionAC), RegisterValidation.accepted),
        (0x0001, 1, .evolutionAC, .wrongLength(expectedWords: 2, receivedWords: 1)),
        (0x000A, 1, nil, .accepted),
        (0x01F4, 5, .nexusLC, .accepted),
        (0x01F4, 4, .nexusLC, .wrongLength(expectedWords: 5, receivedWords: 4)),
        (0x07D0, 10, .evolutionAC, .accepted),
        (0x012C, 4, nil, .accepted),
        (0x0064, 4, nil, .accepted),
        (0x0064, 4, .evolutionLC, .unknownRegister),
        (0x03E8, 5, .evolutionLC, .accepted),
        (0x03E8, 4, .evolutionLC, .wrongLength(expectedWords: 5, receivedWords: 4)),
        (0x03E8, 5, .nexusAC, .unknownRegister),
        (0x04E2, 4, .evolution2, .accepted),
        (0x04E2, 4, nil, .unknownRegister),
        (0x21CA, 1, .pz200, .accepted),
        (0x21CA, 1, .evolutionAC, .unknownRegister),
        (0x7000, 1, .evolutionAC, .unknownRegister),
    ])
    func validation(start: RegisterAddress, words: Int, variant: ControllerVariant?, expected: RegisterValidation) {
        let identity = variant.map(ControllerIdentity.init(variant:))
        #expect(RegisterMap.validate(start: start, receivedWords: words, identity: identity) == expected)
    }
}
