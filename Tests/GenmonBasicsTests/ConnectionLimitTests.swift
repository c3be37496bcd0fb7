import Foundation
import GenmonBasics
import Synchronization
import Testing

@Suite("Connection limits, rate limits, descriptors")
struct ConnectionLimitTests {
    /// A gate's connections as the test holds them: which were closed by the gate.
    final class Closed: Sendable {
        let ids = Mutex<[String]>([])
        func closer(_ name: String) -> @Sendable () -> Void { { self.ids.withLock { $0.append(name) } } }
        var names: [String] { ids.withLock { $0 } }
    }

    static func admitted(_ admission: ConnectionGate.Admission) -> UInt64? {
        if case let .admitted(id) = admission { id } else { nil }
    }



    @Test("full of idle connections, a newcomer gets in by closing the longest-idle one of the busiest address")
    func evictsLongestIdleOfBusiest() throws {
        let gate = ConnectionGate(limits: .init(total: 6, perAddress: 4, loopbackReserve: 2), whenFull: .evictLongestIdle)
        let closed = Closed()
        let t0 = ContinuousClock.now
        var ids: [String: UInt64] = [:]
        for index in 0..<3 { ids["a\(index)"] = Self.admitted(gate.admit(address: "192.0.2.10", now: t0 + .seconds(index), close: closed.closer("a\(index)"))) }
        ids["b0"] = Self.admitted(gate.admit(address: "192.0.2.11", now: t0, close: closed.closer("b0")))
        #expect(gate.count == 4)
        // Strangers hold 4 of the 6: their share (6 - 2 for loopback) is full.
        gate.touch(try #require(ids["a0"]), now: t0 + .seconds(10))
        _ = try #require(Self.admitted(gate.admit(address: "192.0.2.12", now: t0 + .seconds(11), close: closed.closer("c0"))))
        #expect(closed.names == ["a1"], "a1 was the longest idle of the busiest address (a0 was used since)")
        // Loopback has its reserve, and then takes from strangers, never the other way round.
        _ = try #require(Self.admitted(gate.admit(address: "127.0.0.1", now: t0 + .seconds(12), close: closed.closer("l0"))))
        _ = try #require(Self.admitted(gate.admit(address: "::1", now: t0 + .seconds(12), close: closed.closer("l1"))))
        #expect(gate.count == 6)
        _ = try #require(Self.admitted(gate.admit(address: "127.0.0.1", now: t0 + .seconds(13), close: closed.closer("l2"))))
        #expect(closed.names == ["a1", "a2"])
        _ = try #require(Self.admitted(gate.admit(address: "192.0.2.13", now: t0 + .seconds(14), close: closed.closer("d0"))))
        #expect(!closed.names.contains { $0.hasPrefix("l") }, "a stranger never closes a loopback connection: \(closed.names)")
        #expect(gate.count == 6)
        #expect(gate.evictions == closed.names.count)
    }

    @Test("one address cannot hold more than its share: its own longest-idle connection makes room")
    func perAddressCap() {
        let gate = ConnectionGate(limits: .init(total: 100, perAddress: 3, loopbackReserve: 10), whenFull: .evictLongestIdle)
        let closed = Closed()
        let t0 = ContinuousClock.now
        for index in 0..<10 { _ = gate.admit(address: "::ffff:192.0.2.10", now: t0 + .seconds(index), close: closed.closer("\(index)")) }
        #expect(gate.count(from: "192.0.2.10") == 3)
        #expect(closed.names == ["0", "1", "2", "3", "4", "5", "6"])
        // Loopback has no per-address cap.
        for index in 0..<20 { _ = gate.admit(address: "127.0.0.1", now: t0 + .seconds(index), close: closed.closer("l\(index)")) }
        #expect(gate.count(from: "127.0.0.1") == 20)
    }

    @Test("a refusing gate says no at its limits and counts it; released places are free again")
    func refusingGate() throws {
        let gate = ConnectionGate(limits: .init(total: 3, perAddress: 2, loopbackReserve: 1), whenFull: .refuse)
        let t0 = ContinuousClock.now
        let first = try #require(Self.admitted(gate.admit(address: "192.0.2.10", now: t0, close: {})))
        _ = try #require(Self.admitted(gate.admit(address: "192.0.2.10", now: t0, close: {})))
        guard case let .refused(reason) = gate.admit(address: "192.0.2.10", now: t0, close: {}) else { Issue.record("admitted a third"); return }
        #expect(reason == "too many connections from this address")
        guard case .refused = gate.admit(address: "192.0.2.11", now: t0, close: {}) else { Issue.record("took loopback's reserve"); return }
        _ = try #require(Self.admitted(gate.admit(address: "127.0.0.1", now: t0, close: {})))
        guard case .refused = gate.admit(address: "127.0.0.1", now: t0, close: {}) else { Issue.record("beyond the total"); return }
        #expect(gate.refusals == 3)
        gate.release(first)
        gate.release(first)
        #expect(gate.count == 2)
        _ = try #require(Self.admitted(gate.admit(address: "192.0.2.11", now: t0, close: {})))
        #expect(gate.peak == 3)
    }

    @Test("a peer within its budget waits for nothing; a flooding one is held to the rate")
    func rateLimiter() {
        var limiter = PeerRateLimiter(rate: 2, burst: 5, capacity: 3)
        let t0 = ContinuousClock.now
        for _ in 0..<5 { #expect(limiter.take("a", now: t0) == .zero) }
        #expect(limiter.take("a", now: t0) == .milliseconds(500))
        #expect(limiter.take("a", now: t0) == .seconds(1))
        // Two seconds later four tokens came back: the debt of two is paid and two are left.
        #expect(limiter.take("a", now: t0 + .seconds(2)) == .zero)
        #expect(limiter.take("b", now: t0) == .zero)
        #expect(limiter.take("c", now: t0) == .zero)
        #expect(limiter.take("d", now: t0) == .zero)
        #expect(limiter.buckets.count <= 3, "bounded")
    }

    @Test("descriptors are shared out within the limit, with a reserve kept for everything else")
    func descriptorBudget() {
        let roomy = DescriptorBudget(limit: 20_000, socketConnections: 256, webConnections: 512)
        #expect(roomy.socketConnections == 256 && roomy.webConnections == 512 && !roomy.reduced)
        let tight = DescriptorBudget(limit: 300, socketConnections: 256, webConnections: 512)
        #expect(tight.reduced)
        #expect(tight.socketConnections + tight.webConnections + tight.webRefusing + DescriptorBudget.reserve <= 300)
        #expect(tight.socketConnections >= 40 && tight.webConnections >= 100)
        let tiny = DescriptorBudget(limit: 50, socketConnections: 256, webConnections: 512)
        #expect(tiny.socketConnections >= 1 && tiny.webConnections >= 1)
        #expect(DescriptorBudget.raiseLimit() >= 64)
    }

}
