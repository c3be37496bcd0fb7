import Foundation
import GenmonTesting
import HTTPTypes
import Monitor
import Testing
@testable import Web

extension WebTestSuite {
    /// Parallel password guesses: the attempt is reserved before the hash, so the limits hold.
    @Suite struct SignInThrottleTests {
        @Test("attempts are reserved before hashing: of 30 parallel wrong passwords at most 5 are evaluated, and the right one then waits")
        func parallelGuessesAreCapped() async throws {
            let web = try await WebHarness()
            let statuses = await withTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        (try? await web.send(.post, "/api/v1/session", json: ["username": WebHarness.adminName, "password": "wrong-\(index)"],
                                             address: "192.0.2.\(20 + index % 5)"))?.status ?? .internalServerError
                    }
                }
                var statuses: [HTTPResponse.Status] = []
                for await status in group { statuses.append(status) }
                return statuses
            }
            let evaluated = statuses.filter { $0 == .unauthorized }.count
            #expect(evaluated <= 5, "evaluated \(evaluated) of 30: \(statuses.map(\.code))")
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
            let right = try await web.send(.post, "/api/v1/session", json: ["username": WebHarness.adminName, "password": WebHarness.adminPassword],
                                           address: "192.0.2.99")
            #expect(right.status == .tooManyRequests, "the lockout holds for the right password too")
        }

        @Test("reservations count attempts in flight against both limits, and a success gives its slot back")
        func reservations() throws {
            let start = Date(timeIntervalSince1970: 1_000_000)
            var throttle = LoginThrottle(policy: .init(accountFailures: 5, addressFailures: 20, window: 900, firstLockout: 60))
            var held: [LoginThrottle.Reservation] = []
            for index in 0..<30 {
                if case let .success(reservation) = throttle.reserve(account: "alice", address: "192.0.2.\(index)", now: start) { held.append(reservation) }
            }
            #expect(held.count == 5)
            for reservation in held.dropLast() { throttle.finish(reservation, succeeded: false, now: start + 1) }
            #expect(throttle.finish(held[4], succeeded: false, now: start + 1) == start + 61)
            guard case let .failure(locked) = throttle.reserve(account: "alice", address: "192.0.2.200", now: start + 2) else {
                Issue.record("reserved while locked"); return
            }
            #expect(locked.until == start + 61)
            // Per address: 20 names from one address, then the address waits.
            var fromOne = 0
            for index in 0..<40 {
                if case .success = throttle.reserve(account: "user\(index)", address: "198.51.100.7", now: start) { fromOne += 1 }
            }
            #expect(fromOne == 20)
            // A right password gives the slot back: an address that only signs in correctly keeps no record.
            var fresh = LoginThrottle()
            for _ in 0..<50 {
                guard case let .success(reservation) = fresh.reserve(account: "bob", address: "203.0.113.5", now: start) else {
                    Issue.record("refused a correct sign-in"); return
                }
                fresh.finish(reservation, succeeded: true, now: start)
            }
            #expect(fresh.addresses.isEmpty && fresh.accounts.isEmpty)
        }
    }
}
