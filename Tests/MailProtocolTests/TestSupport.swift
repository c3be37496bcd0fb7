import GenmonBasics
@testable import MailProtocol


/// Test literals that are known to be valid.
func address(_ text: String) -> EmailAddress {
    do { return try EmailAddress(text) } catch { fatalError("bad test address \(text): \(error)") }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

extension SeededGenerator {
    mutating func pick<T>(_ choices: [T]) -> T { choices[int(in: 0...(choices.count - 1))] }
}
