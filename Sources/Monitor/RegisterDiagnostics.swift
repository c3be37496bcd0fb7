import Generac

/// The raw registers as the monitor last read them. Only the diagnostics commands read this (the
/// original's `registers`, `allregs`, `getregvalue`, `support_data_json`); every other view renders
/// decoded values from `GeneratorReadings`, so a register's meaning lives in Generac alone.
public struct RegisterDiagnostics: Sendable, Equatable {
    private let image: RegisterImage
    /// The non-log reads done so far, with their word counts, in the order the original lists them.
    public let reads: [RegisterRead]

    public init(image: RegisterImage = RegisterImage(), reads: [RegisterRead] = []) {
        self.image = image
        self.reads = reads
    }

    /// The words from `address` as the original shows them (`"0009"`, `"00010002"`), zeros where unread.
    public func hex(at address: RegisterAddress, words count: Int) -> String {
        image.hex(at: address, words: count)
    }

    /// One word as last read, or nil when the monitor never read it.
    public func word(at address: RegisterAddress) -> UInt16? { image.word(at: address) }

    /// Polled registers as (address, hex) in listing order.
    public var polled: [(address: RegisterAddress, hex: String)] {
        reads.map { ($0.address, image.hex(at: $0.address, words: $0.words)) }
    }

    /// Every slot of a log as (address, hex), newest first.
    public func logSlots(_ range: LogRange) -> [(address: RegisterAddress, hex: String)] {
        range.entryAddresses.map { ($0, image.hex(at: $0, words: range.wordsPerEntry)) }
    }

    /// The cached value `getregvalue` answers: a polled register with its word count, a log slot
    /// with the log's; nil when the register is not one the monitor reads.
    public func cachedValue(at address: RegisterAddress, logs: [LogRange]) -> String? {
        if let read = reads.first(where: { $0.address == address }) {
            return image.hex(at: address, words: read.words)
        }
        for range in logs where range.entryIndex(startingAt: address) != nil {
            return image.hex(at: address, words: range.wordsPerEntry)
        }
        return nil
    }
}
