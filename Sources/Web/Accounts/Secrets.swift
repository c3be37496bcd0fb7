import Crypto
import Foundation

/// Random secrets, their hashes, and comparisons that take the same time whatever the input.
public enum Secrets {
    /// `count` bytes from the system's cryptographic generator.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// 256 random bits as URL-safe base64 without padding (43 characters).
    public static func token() -> String { base64URL(randomBytes(32)) }

    /// A secret a person can type: groups of letters and digits that cannot be confused
    /// (no 0/O, 1/I/L), e.g. `K7QX-M4WD-9PRT-H2CE`: almost 20 bits per group, 79 bits in four.
    public static func typeable(groups: Int = 4) -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<groups).map { _ in
            String((0..<4).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }.joined(separator: "-")
    }

    /// A password for a person to be given once: 18 characters from a readable alphabet (about 100 bits).
    public static func password() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<18).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    public static func sha256(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }

    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func fromBase64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Compares two texts without revealing where they differ: both are hashed first, so even the
    /// length of the expected secret does not show in the timing.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(sha256(a), sha256(b))
    }
}
