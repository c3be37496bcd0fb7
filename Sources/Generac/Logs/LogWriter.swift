/// Writing logs the way a controller does (for the simulator): the newest entry sits at the
/// range start, older ones move down one slot and the 50th falls off.
extension RegisterImage {
    public mutating func pushLogEntry(_ entry: LogEntry, range: LogRange, layout: LogLayout = .standard) {
        for index in stride(from: range.depth - 2, through: 0, by: -1) {
            let words = words(from: range.address(ofEntry: index), count: range.wordsPerEntry)
            store(words, at: range.address(ofEntry: index + 1))
        }
        var words = entry.words(layout: layout)
        // Pad or trim to the range's entry size (a 4-word entry in the 5-word alarm log gets code 0).
        words = Array((words + Array(repeating: 0, count: range.wordsPerEntry)).prefix(range.wordsPerEntry))
        store(words, at: range.start)
    }

    /// The sequence number the next entry of `range` should carry (newest + 1, wrapping; 0 when empty).
    public func nextLogSequence(range: LogRange, layout: LogLayout = .standard) -> UInt8 {
        let newest = LogEntry.parse(words: words(from: range.start, count: range.wordsPerEntry), layout: layout)
        return newest.entry.map { $0.sequence &+ 1 } ?? 0
    }
}

extension LogEntry {
    /// An entry stamped with the controller clock (which has no seconds of its own).
    public init(code: UInt8, sequence: UInt8, clock: ControllerClock, second: UInt8 = 0, alarmCode: UInt16? = nil) {
        self.init(code: code, sequence: sequence, year: UInt8(clamping: clock.yearByte), month: UInt8(clamping: clock.month),
                  day: UInt8(clamping: clock.day), hour: UInt8(clamping: clock.hour), minute: UInt8(clamping: clock.minute),
                  second: second, alarmCode: alarmCode)
    }
}
