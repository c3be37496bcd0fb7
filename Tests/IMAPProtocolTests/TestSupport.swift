import GenmonBasics
@testable import MailProtocol


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
