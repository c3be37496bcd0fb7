import Dispatch
import HummingbirdBcrypt

/// bcrypt, run on one background queue: at cost 12 a hash takes a good fraction of a second on a
/// small board, so the cooperative thread pool must not be held that long, and a burst of sign-ins
/// must not take every core from the monitor (hashes wait their turn, one at a time).
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor (4...31). Tests use the minimum; people get 12.
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = min(31, max(4, cost)) }

    public func hash(_ password: String) async -> String {
        let cost = self.cost
        return await Self.offPool { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async -> Bool {
        await Self.offPool { Bcrypt.verify(password, hash: hash) }
    }

    private static let queue = DispatchQueue(label: "genmon.password-hashing", qos: .userInitiated)

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
