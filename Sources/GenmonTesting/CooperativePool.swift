import Foundation

// The cooperative thread pool has as many threads as the machine has cores: two on CI. A blocking
// call or a long loop that never suspends holds one of them for its whole duration, and the
// timing-sensitive tests (pseudo-terminal, TCP, real servers) starve.

/// Runs blocking `work` (a blocking socket call, a DNS lookup, a wait on a semaphore) on a thread
/// of its own and resumes the caller with its result, leaving the cooperative pool free meanwhile.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Runs blocking `work` that cannot fail on a thread of its own (see the throwing variant).
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
