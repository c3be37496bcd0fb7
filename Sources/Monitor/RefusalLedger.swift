import Foundation

/// Counts refused commands instead of writing each one down.
///
/// A stranger looping a command it may not send must not cost one audit row, one log line and one
/// event per attempt: that would flood the disk and the log, and delay the records that matter.
/// Refusals of the same command from the same origin are counted in a window of `window` seconds
/// that opens with the first of them: the first is told at once (log, event), and when the window
/// closes one audit row carries the count ("refused 4,812 × setremote=start from 192.0.2.2").
/// Pure: time is passed in.
public struct RefusalLedger: Sendable {
    /// What is counted together: the same command from the same origin.
    public struct Key: Sendable, Hashable {
        public var origin: CommandOrigin
        public var command: String
    }

    /// The refusals of one key in one window.
    public struct Tally: Sendable, Equatable {
        public var first: Date
        public var last: Date
        public var count: Int
        /// Why the first was refused.
        public var reason: String
    }

    public let window: TimeInterval
    /// Keys counted at most at once; refusals past it are counted under one "other origins" key, so
    /// a flood from many addresses cannot grow the ledger without bound.
    public let maximumKeys: Int
    public private(set) var open: [Key: Tally] = [:]
    /// Windows whose time was up when the next refusal came, waiting for `closed`.
    public private(set) var finished: [(key: Key, tally: Tally)] = []

    public init(window: TimeInterval = 60, maximumKeys: Int = 1000) {
        self.window = window
        self.maximumKeys = max(1, maximumKeys)
    }

    /// Counts one refusal. True when it is the first of its window (tell it now); false when it is
    /// only counted.
    public mutating func count(_ command: String, from origin: CommandOrigin, reason: String, at now: Date) -> Bool {
        var key = Key(origin: origin, command: command)
        if open[key] == nil, open.count >= maximumKeys - 1 {
            key = Key(origin: CommandOrigin(interface: origin.interface, principal: "other origins", mayControl: false), command: "any command")
        }
        if let tally = open[key], now.timeIntervalSince(tally.first) >= window {
            // The window is over (nobody has collected it yet): this refusal opens the next one.
            finished.append((key: key, tally: tally))
            open[key] = nil
        }
        if var tally = open[key] {
            tally.count += 1
            tally.last = now
            open[key] = tally
            return false
        }
        open[key] = Tally(first: now, last: now, count: 1, reason: reason)
        return true
    }

    /// Takes out the windows that have closed by `now` (all of them when `all`), oldest first.
    public mutating func closed(at now: Date, all: Bool = false) -> [(key: Key, tally: Tally)] {
        let due = open.filter { all || now.timeIntervalSince($0.value.first) >= window }
        for key in due.keys { open[key] = nil }
        defer { finished.removeAll() }
        return (finished + due.map { (key: $0.key, tally: $0.value) }).sorted { $0.tally.first < $1.tally.first }
    }

    /// The audit row for a closed window: one row, however many refusals it counts.
    public static func audit(_ key: Key, _ tally: Tally) -> AuditRecord {
        let message = tally.count == 1
            ? tally.reason
            : "refused \(grouped(tally.count)) × \(key.command) from \(key.origin.principal) in \(Int(tally.last.timeIntervalSince(tally.first).rounded())) s: \(tally.reason)"
        return AuditRecord(time: tally.first, origin: key.origin, command: key.command, result: .refused, message: message,
                           duration: tally.last.timeIntervalSince(tally.first))
    }

    /// 4812 → "4,812".
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
