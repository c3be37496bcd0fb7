import Foundation
import Generac

/// A pending log read: the whole log at start-up, or only its new entries after a state change.
struct LogRead: Sendable, Equatable {
    enum Mode: Sendable, Equatable {
        /// Read every slot up to the first empty one.
        case full
        /// The newest entry was `newest`: read until it is found again; what comes before it is new.
        case head(newest: [UInt16])
    }

    let range: LogRange
    var mode: Mode
    var nextIndex = 0
    /// New entries read in head mode, newest first, not yet in the image.
    var fresh: [[UInt16]] = []
    var failures = 0
}

extension GeneratorMonitor {
    /// Reads one slot of the first pending log and advances or finishes that log's work.
    func performLogRead(_ work: LogRead) async {
        var work = work
        let range = work.range
        let address = range.address(ofEntry: work.nextIndex)
        let read = RegisterRead(address: address, words: range.wordsPerEntry)
        guard case let .success(words) = await pollResult(read, storing: false) else {
            work.failures += 1
            finishLogRead(work, done: work.failures >= 3)
            return
        }
        let layout = identity.map(LogLayout.init(identity:)) ?? .standard
        let slotIsEntry = LogEntry.parse(words: words, layout: layout).entry != nil
        let last = work.nextIndex >= range.depth - 1

        switch work.mode {
        case .full:
            image.store(words, at: address)
            needsPublish = true
            finishLogRead(work, done: !slotIsEntry || last, advance: true)
        case let .head(newest):
            if words == newest {
                // Found the entry that used to be newest: everything read before it is new.
                applyNewLogEntries(work.fresh, to: range)
                finishLogRead(work, done: true)
            } else if !slotIsEntry || last {
                // The old newest entry is gone (log cleared or rewritten): take what was read as the log.
                for (index, entry) in (work.fresh + [words]).enumerated() { image.store(entry, at: range.address(ofEntry: index)) }
                needsPublish = true
                finishLogRead(work, done: true)
            } else {
                work.fresh.append(words)
                finishLogRead(work, done: false, advance: true)
            }
        }
    }

    private func finishLogRead(_ work: LogRead, done: Bool, advance: Bool = false) {
        guard let index = logWork.firstIndex(where: { $0.range == work.range }) else { return }
        if done {
            logWork.remove(at: index)
        } else {
            var next = work
            if advance {
                next.nextIndex += 1
                next.failures = 0
            }
            logWork[index] = next
        }
    }

    /// Moves the known entries down by the number of new ones and writes the new ones on top,
    /// exactly as the controller did, without reading the old ones again.
    private func applyNewLogEntries(_ fresh: [[UInt16]], to range: LogRange) {
        guard !fresh.isEmpty else { return }
        let shift = fresh.count
        let old = (0..<range.depth).map { image.words(from: range.address(ofEntry: $0), count: range.wordsPerEntry) }
        for index in stride(from: range.depth - 1, through: shift, by: -1) {
            image.store(old[index - shift], at: range.address(ofEntry: index))
        }
        for (index, entry) in fresh.enumerated() { image.store(entry, at: range.address(ofEntry: index)) }
        needsPublish = true
    }
}
