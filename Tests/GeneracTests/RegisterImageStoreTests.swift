import GenmonBasics
import Foundation
import Testing
@testable import Generac
import GenmonTesting

/// Storing reads and log slots through the image's own API (what the monitor uses).
@Suite("Register image: storing reads and logs")
struct RegisterImageStoreTests {
    @Test("A register's first value is new, a different one changed, the same one unchanged")
    func storeOutcomes() {
        var image = RegisterImage()
        #expect(image.store([0x0003, 0x0000], at: 0x0001) == .new)
        #expect(image.store([0x0003, 0x0000], at: 0x0001) == .unchanged)
        #expect(image.store([0x0003, 0x0001], at: 0x0001) == .changed)
        #expect(image.words(from: 0x0001, count: 2) == [0x0003, 0x0001])
        // A stored zero is a value like any other.
        #expect(image.store([0], at: 0x0009) == .new)
        #expect(image.store([0], at: 0x0009) == .unchanged)
        #expect(image.contains(0x0009))
    }

    @Test("Unchanged leaves the image exactly as it was; a missing later word counts as a change")
    func unchangedIsANoOp() {
        var image = RegisterImage(words: [0x000B: 0])
        // 000c was never stored: storing a zero there is a change, and afterwards it is held.
        #expect(image.store([0, 0], at: 0x000B) == .changed)
        #expect(image.contains(0x000C))
        let before = image
        #expect(image.store([0, 0], at: 0x000B) == .unchanged)
        #expect(image == before)
    }

    @Test("Storing nothing changes nothing")
    func emptyStore() {
        var image = RegisterImage()
        #expect(image.store([], at: 0x0005) == .unchanged)
        #expect(image == RegisterImage())
    }

    @Test("A block at the top of the address space wraps to 0000 without trapping")
    func wrapsAtTop() {
        var image = RegisterImage()
        #expect(image.store([1, 2], at: 0xFFFF) == .new)
        #expect(image[0xFFFF] == 1 && image[0x0000] == 2)
        #expect(image.outcomeOfStoring([1, 2], at: 0xFFFF) == .unchanged)
    }

    @Test("Log slots read newest first, zeros where nothing was stored", arguments: [
        LogRange.run, .evolutionAlarm, .evolutionService, .nexusAlarm,
    ])
    func logSlots(range: LogRange) {
        var image = RegisterImage()
        let entry = (1...range.wordsPerEntry).map { UInt16($0) }
        image.store(entry, at: range.address(ofEntry: 3))
        let slots = image.logEntries(in: range)
        #expect(slots.count == range.depth)
        #expect(slots.allSatisfy { $0.count == range.wordsPerEntry })
        #expect(slots[3] == entry)
        #expect(image.logEntry(0, in: range) == [UInt16](repeating: 0, count: range.wordsPerEntry))
        #expect(image.logEntry(-1, in: range).isEmpty && image.logEntry(range.depth, in: range).isEmpty)
    }

    @Test("Replacing a log fills slots from the newest and clears the later slots it held")
    func replaceLog() {
        let range = LogRange.run
        var image = RegisterImage()
        image.replaceLog(range, with: (0..<5).map { [UInt16($0 + 1), 2, 3, 4] })
        #expect(image.logEntry(4, in: range) == [5, 2, 3, 4])
        // Slots never held stay unheld (a log that was never longer is not padded with zeros).
        #expect(!image.contains(range.address(ofEntry: 5)))
        image.replaceLog(range, with: [[9, 9, 9, 9]])
        #expect(image.logEntry(0, in: range) == [9, 9, 9, 9])
        #expect((1..<5).allSatisfy { image.logEntry($0, in: range) == [0, 0, 0, 0] })
        #expect(!image.contains(range.address(ofEntry: 5)))
        image.replaceLog(range, with: [])
        #expect(image.logEntry(0, in: range) == [0, 0, 0, 0])
    }

    @Test("Entries past the log's depth are ignored, not written past its end")
    func replaceLogTooLong() {
        let range = LogRange.nexusAlarm
        var image = RegisterImage()
        image.replaceLog(range, with: (0..<(range.depth + 7)).map { _ in [1, 1, 1, 1] })
        #expect(image.logEntries(in: range).allSatisfy { $0 == [1, 1, 1, 1] })
        #expect(!image.contains(range.address(ofEntry: range.depth)))
    }

    @Test("Seeded random stores: the outcome always matches what happened to the image")
    func randomStores() async {
        var rng = SeededGenerator(seed: 0x5707_E0C0)
        var image = RegisterImage()
        var wrong = 0
        var pacer = CooperativePacer()
        for _ in 0..<200_000 {
            await pacer.pace()
            // A small address window so stores overlap, and small values so repeats happen.
            let start = RegisterAddress.random(in: 0xFFF8...0xFFFF, using: &rng) &+ RegisterAddress.random(in: 0...24, using: &rng)
            let values = (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt16.random(in: 0...2, using: &rng) }
            let before = image
            let outcome = image.store(values, at: start)
            let consistent = switch outcome {
            case .new: !before.contains(start) && !values.isEmpty
            case .changed: before.contains(start) && before != image
            case .unchanged: before == image
            }
            if !consistent || image.words(from: start, count: values.count) != values { wrong += 1 }
        }
        #expect(wrong == 0)
    }
}
