@testable import MailProtocol

/// A small, seeded, reproducible generator (SplitMix64) so random runs can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bool() -> Bool { next() & 1 == 1 }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}

/// The bytes of `text`, where tests write `\r\n` explicitly.
func wire(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Every frame (or framing error) the framer produces for `bytes` fed in the given pieces.
func frames(_ bytes: [UInt8], pieces: [Int]? = nil, limits: IMAPResponseFramer.Limits = .init()) -> [Result<IMAPFrame, IMAPFramingError>] {
    var framer = IMAPResponseFramer(limits: limits)
    var results: [Result<IMAPFrame, IMAPFramingError>] = []
    func drain() {
        while true {
            do {
                guard let frame = try framer.next() else { return }
                results.append(.success(frame))
            } catch {
                results.append(.failure(error))
                if error.isFatal { return }
            }
        }
    }
    var index = 0
    for size in pieces ?? [bytes.count] where index < bytes.count {
        let end = min(bytes.count, index + size)
        framer.append(bytes[index..<end])
        drain()
        index = end
    }
    if index < bytes.count {
        framer.append(bytes[index...])
        drain()
    }
    return results
}

/// Parses exactly one response from `text`; fails the test if framing yields anything else.
func parseOne(_ text: String) throws -> IMAPResponse {
    let results = frames(wire(text))
    guard results.count == 1, case let .success(frame) = results[0] else {
        throw IMAPParseError(expected: "exactly one frame, got \(results)", line: 0, offset: 0)
    }
    return try IMAPResponseParser.parse(frame)
}

/// The first part of a command as text (tests of commands without literals).
func commandText(_ command: IMAPCommand, tag: String = "a1", literalPlus: Bool = false) throws -> String {
    let encoded = try IMAPCommandEncoder(literalPlus: literalPlus).encode(command, tag: tag)
    return encoded.parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "|")
}
