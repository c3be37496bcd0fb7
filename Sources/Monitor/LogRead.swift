import Foundation
import Generac

/// A pending log read: the whole log at start-up, or only its new entries after a state change.
struct LogRead: Sendable, Equatable {
    enum Mode: Sendable, Equatable {
        /// Read every slot up to the first empty one.
        case full
        /// The newest entry was `newest`: read until it is found again; what comes before it is new.
        case head(newest: [UInt16])
        /// Everything is read; slot 0 is read once more: if the controller wrote an entry meanwhile
        /// (shifting the slots under our feet), the log is read again instead of stored half-shifted.
        case verify(slots: [[UInt16]], restart: Restart)
    }

    /// What to do when the verification finds the log moved.
    enum Restart: Sendable, Equatable {
        case full
        case head(newest: [UInt16])
    }

    let range: LogRange
    var mode: Mode
    var nextIndex = 0
    /// Entries read so far, newest first, not yet in the image.
    var fresh: [[UInt16]] = []
    var failures = 0
    /// The status changed again while this read was under way: check the head once more after it.
    var recheck = false
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
            if work.failures >= 3 { finish(work) } else { replace(work, with: work) }
            return
        }
        let layout = identity.map(LogLayout.init(identity:)) ?? .standard
        let slotIsEntry = LogEntry.parse(words: words, layout: layout).entry != nil
        let last = work.nextIndex >= range.depth - 1

        switch work.mode {
        case .full:
            work.fresh.append(words)
            if !slotIsEntry || last {
                verifyNext(&work, slots: work.fresh, restart: .full)
            } else {
                advance(work)
            }
        case let .head(newest):
            if words == newest {
                // Found the entry that used to be newest: everything read before it is new.
                guard !work.fresh.isEmpty else { return finish(work) }
                let old = image.logEntries(in: range)
                verifyNext(&work, slots: Array((work.fresh + old).prefix(range.depth)), restart: .head(newest: newest))
            } else if !slotIsEntry || last {
                // The old newest entry is gone (log cleared or rewritten): what was read is the log.
                verifyNext(&work, slots: work.fresh + [words], restart: .head(newest: newest))
            } else {
                work.fresh.append(words)
                advance(work)
            }
        case let .verify(slots, restart):
            if words == slots.first {
                // Slots past the read ones (an emptied log) read as empty.
                image.replaceLog(range, with: slots)
                needsPublish = true
                finish(work)
            } else {
                // A new entry arrived while reading: start over (our image still holds the old log).
                let mode: LogRead.Mode = switch restart {
                case .full: .full
                case let .head(newest): .head(newest: newest)
                }
                replace(work, with: LogRead(range: range, mode: mode))
            }
        }
    }

    private func verifyNext(_ work: inout LogRead, slots: [[UInt16]], restart: LogRead.Restart) {
        var next = work
        next.mode = .verify(slots: slots, restart: restart)
        next.nextIndex = 0
        next.fresh = []
        replace(work, with: next)
    }

    private func advance(_ work: LogRead) {
        var next = work
        next.nextIndex += 1
        next.failures = 0
        replace(work, with: next)
    }

    private func finish(_ work: LogRead) {
        let recheck = logWork.first { $0.range == work.range }?.recheck ?? false
        logWork.removeAll { $0.range == work.range }
        if recheck { queueLogHeadChecks(only: work.range) }
    }

    private func replace(_ work: LogRead, with next: LogRead) {
        guard let index = logWork.firstIndex(where: { $0.range == work.range }) else { return }
        var next = next
        next.recheck = next.recheck || logWork[index].recheck
        logWork[index] = next
    }
}
