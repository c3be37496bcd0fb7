/// The controller logs as slots of the image, so a reader of the logs never computes addresses.
extension RegisterImage {
    /// The words of log slot `index` (0 = newest) of `range`; zeros where nothing was stored.
    /// An index outside the log's depth gives an empty array.
    public func logEntry(_ index: Int, in range: LogRange) -> [UInt16] {
        guard (0..<range.depth).contains(index) else { return [] }
        return words(from: range.address(ofEntry: index), count: range.wordsPerEntry)
    }

    /// Every slot of `range`, newest first (`range.depth` arrays of `range.wordsPerEntry` words).
    public func logEntries(in range: LogRange) -> [[UInt16]] {
        (0..<range.depth).map { logEntry($0, in: range) }
    }

    /// Replaces the log held for `range` by `entries`, newest first: they fill the slots from the
    /// newest on (entries past the log's depth are ignored), and every later slot the image already
    /// holds is cleared to zeros, so an emptied or shortened log reads as empty there.
    public mutating func replaceLog(_ range: LogRange, with entries: [[UInt16]]) {
        let kept = entries.prefix(range.depth)
        for (index, entry) in kept.enumerated() { store(entry, at: range.address(ofEntry: index)) }
        let empty = [UInt16](repeating: 0, count: range.wordsPerEntry)
        for index in kept.count..<range.depth where contains(range.address(ofEntry: index)) {
            store(empty, at: range.address(ofEntry: index))
        }
    }
}
