/// A set of UIDs (or message sequence numbers) as IMAP writes it: `1:4,7,9:*`.
public struct IMAPSequenceSet: Hashable, Sendable, CustomStringConvertible {
    /// One run of numbers; `upper == nil` stands for `*` (the largest number in use).
    public struct Range: Hashable, Sendable {
        public let lower: UInt32
        public let upper: UInt32?
    }

    public let ranges: [Range]

    /// The set of `numbers`, with consecutive runs merged; refuses an empty list and zero.
    public init(_ numbers: some Sequence<UInt32>) throws(IMAPCommandError) {
        let sorted = Set(numbers).sorted()
        guard let first = sorted.first else { throw .invalidSequenceSet("no numbers") }
        guard first > 0 else { throw .invalidSequenceSet("0 is not a valid UID or sequence number") }
        var ranges: [Range] = []
        var start = first, end = first
        for number in sorted.dropFirst() {
            if number == end &+ 1 { end = number; continue }
            ranges.append(Range(lower: start, upper: end))
            start = number
            end = number
        }
        ranges.append(Range(lower: start, upper: end))
        self.ranges = ranges
    }

    /// `lower:upper`, or `lower:*` when `upper` is nil.
    public init(from lower: UInt32, through upper: UInt32?) throws(IMAPCommandError) {
        guard lower > 0, upper != 0 else { throw .invalidSequenceSet("0 is not a valid UID or sequence number") }
        self.ranges = [Range(lower: lower, upper: upper)]
    }

    /// Parses the wire form; nil when the text is not a sequence set. A lone `*` is kept as `UInt32.max:*`.
    public init?(parsing text: String) {
        var ranges: [Range] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2 else { return nil }
            guard let first = Self.bound(bounds[0]), let second = bounds.count == 2 ? Self.bound(bounds[1]) : first else { return nil }
            switch (first, second) {
            case let (.number(a), .number(b)): ranges.append(Range(lower: Swift.min(a, b), upper: Swift.max(a, b)))
            case let (.number(a), .star), let (.star, .number(a)): ranges.append(Range(lower: a, upper: nil))
            case (.star, .star): ranges.append(Range(lower: .max, upper: nil))
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    private enum Bound { case number(UInt32), star }

    private static func bound(_ text: Substring) -> Bound? {
        if text == "*" { return .star }
        guard !text.isEmpty, text.utf8.allSatisfy(IMAPGrammar.isDigit), let value = UInt32(text), value > 0 else { return nil }
        return .number(value)
    }

    /// Whether `number` is in the set; `*` counts as `largest`.
    public func contains(_ number: UInt32, largest: UInt32 = .max) -> Bool {
        ranges.contains { range in
            let upper = range.upper ?? largest
            return number >= Swift.min(range.lower, upper) && number <= Swift.max(range.lower, upper)
        }
    }

    /// The numbers in the set, in order, when it has no `*` and at most `limit` of them.
    public func numbers(limit: Int = 100_000) -> [UInt32]? {
        var result: [UInt32] = []
        for range in ranges {
            guard let upper = range.upper, upper >= range.lower else { return nil }
            guard Int(upper - range.lower) < limit - result.count else { return nil }
            result += Array(range.lower...upper)
        }
        return result
    }

    public var description: String {
        ranges.map { range in
            switch range.upper {
            case nil: range.lower == .max ? "*" : "\(range.lower):*"
            case range.lower?: "\(range.lower)"
            case let upper?: "\(range.lower):\(upper)"
            }
        }.joined(separator: ",")
    }
}
