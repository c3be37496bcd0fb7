import Foundation

/// A 16-bit holding-register address as sent on the wire (0-based).
public typealias RegisterAddress = UInt16

/// Why a register image could not be built from text.
public enum RegisterImageError: Error, Equatable, Sendable {
    /// A key is not 1...4 hex digits.
    case invalidAddress(String)
    /// A value is not exactly 4 hex digits (one word).
    case invalidWord(address: String, value: String)
    /// A cached multi-word value is empty, has a length that is not a multiple of 4, or bad digits.
    case invalidHexValue(String)
    /// The JSON is not an object with a `registers` object of strings.
    case malformedJSON(String)
}

/// A flat register image: address → word. Registers never stored read as 0, like the dumps.
///
/// Every layer shares this one shape: the monitor fills it from reads, the simulator serves it,
/// the decoders read it. `contains` tells "never read" apart from a stored zero when that matters.
public struct RegisterImage: Sendable, Equatable, Hashable {
    public private(set) var words: [RegisterAddress: UInt16]

    public init(words: [RegisterAddress: UInt16] = [:]) {
        self.words = words
    }

    /// Builds an image from `"0001": "0003"` style text (the dump `registers` field).
    public init(hexWords: [String: String]) throws(RegisterImageError) {
        var words: [RegisterAddress: UInt16] = [:]
        for (key, value) in hexWords {
            guard let address = Hex.parse(Substring(key), maxDigits: 4) else {
                throw .invalidAddress(key)
            }
            guard value.utf8.count == 4, let word = Hex.parse(Substring(value), maxDigits: 4) else {
                throw .invalidWord(address: key, value: value)
            }
            words[RegisterAddress(address)] = UInt16(word)
        }
        self.words = words
    }

    /// Builds an image from a fixture dump (`{"registers": {"0000": "0009", ...}, ...}`).
    public init(dumpJSON data: Data) throws(RegisterImageError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .malformedJSON("not JSON")
        }
        guard let root = object as? [String: Any], let registers = root["registers"] as? [String: Any] else {
            throw .malformedJSON("no registers object")
        }
        var text: [String: String] = [:]
        for (key, value) in registers {
            guard let string = value as? String else { throw .invalidWord(address: key, value: "\(value)") }
            text[key] = string
        }
        try self.init(hexWords: text)
    }

    public subscript(address: RegisterAddress) -> UInt16 {
        get { words[address] ?? 0 }
        set { words[address] = newValue }
    }

    public func contains(_ address: RegisterAddress) -> Bool { words[address] != nil }

    /// The stored word, or nil when the register was never stored.
    public func word(at address: RegisterAddress) -> UInt16? { words[address] }

    public func highByte(_ address: RegisterAddress) -> UInt8 { UInt8(self[address] >> 8) }
    public func lowByte(_ address: RegisterAddress) -> UInt8 { UInt8(self[address] & 0xFF) }

    /// Upstream's 2-word "pair value": the word at `address` is the high half.
    public func pair(at address: RegisterAddress) -> UInt32 {
        UInt32(self[address]) << 16 | UInt32(self[address &+ 1])
    }

    /// `count` consecutive words starting at `address` (addresses wrap at 0xFFFF).
    public func words(from address: RegisterAddress, count: Int) -> [UInt16] {
        guard count > 0 else { return [] }
        return (0..<count).map { self[address &+ RegisterAddress(truncatingIfNeeded: $0)] }
    }

    /// The same words as big-endian bytes (high byte first), as they travel on the wire.
    public func bytes(from address: RegisterAddress, words count: Int) -> [UInt8] {
        words(from: address, count: count).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// ASCII text stored two characters per word, cut at the first NUL byte.
    public func ascii(from address: RegisterAddress, words count: Int) -> String {
        let bytes = bytes(from: address, words: count).prefix { $0 != 0 }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// What storing a read did to the image.
    public enum StoreOutcome: Sendable, Equatable, Hashable {
        /// The start address had never been stored: the register's first value.
        case new
        /// The start address was stored before and at least one word differs (or was missing).
        case changed
        /// The image already held exactly these words; it is left as it was.
        case unchanged
    }

    /// Stores consecutive words starting at `start` (addresses wrap at 0xFFFF) and says whether
    /// that was the register's first value, a change, or the same words again.
    @discardableResult
    public mutating func store(_ values: [UInt16], at start: RegisterAddress) -> StoreOutcome {
        let outcome = outcomeOfStoring(values, at: start)
        guard outcome != .unchanged else { return .unchanged }
        for (offset, value) in values.enumerated() {
            words[start &+ RegisterAddress(truncatingIfNeeded: offset)] = value
        }
        return outcome
    }

    /// What `store(values, at: start)` would report, without storing. Storing no words changes nothing (`.unchanged`).
    public func outcomeOfStoring(_ values: [UInt16], at start: RegisterAddress) -> StoreOutcome {
        guard !values.isEmpty else { return .unchanged }
        guard contains(start) else { return .new }
        for (offset, value) in values.enumerated() where words[start &+ RegisterAddress(truncatingIfNeeded: offset)] != value {
            return .changed
        }
        return .unchanged
    }

    /// Stores a read in upstream's cache form: one hex string of 4 digits per word.
    public mutating func store(hex: String, at start: RegisterAddress) throws(RegisterImageError) {
        let digits = Array(hex.utf8)
        guard !digits.isEmpty, digits.count % 4 == 0 else { throw .invalidHexValue(hex) }
        var values: [UInt16] = []
        for offset in stride(from: 0, to: digits.count, by: 4) {
            var word: UInt16 = 0
            for byte in digits[offset..<offset + 4] {
                guard let digit = Hex.digitValue(byte) else { throw .invalidHexValue(hex) }
                word = word << 4 | UInt16(digit)
            }
            values.append(word)
        }
        store(values, at: start)
    }

    /// Upstream's cache text for `count` words at `start` (4 lowercase hex digits per word).
    public func hex(at start: RegisterAddress, words count: Int) -> String {
        words(from: start, count: count).map(Hex.word).joined()
    }
}
