@testable import LegacyProtocol
import Testing

@Suite("Control policy")
struct ControlPolicyTests {
    @Test("only loopback is this host: 127.0.0.0/8, ::1 and their IPv4-mapped form", arguments: [
        ("127.0.0.1", true), ("127.0.0.2", true), ("127.255.255.254", true), ("::1", true), ("::ffff:127.0.0.1", true),
        ("[::1]", true), ("192.168.1.10", false), ("10.0.0.1", false), ("0.0.0.0", false), ("::", false),
        ("fe80::1%eth0", false), ("128.0.0.1", false), ("::ffff:192.168.1.10", false), ("localhost", false), ("", false),
        ("unknown", false),
    ])
    func loopback(address: String, allowed: Bool) {
        #expect(ControlPolicy().mayControl(address) == allowed)
    }

    @Test("allow-list entries are exact addresses or CIDR blocks of either family")
    func allowList() throws {
        let policy = try ControlPolicy(allowing: ["192.168.1.20", "10.1.0.0/16", "fd00::/8", "2001:db8::5"])
        #expect(policy.mayControl("192.168.1.20"))
        #expect(!policy.mayControl("192.168.1.21"))
        #expect(policy.mayControl("10.1.200.3"))
        #expect(!policy.mayControl("10.2.0.1"))
        #expect(policy.mayControl("::ffff:10.1.0.9"))
        #expect(policy.mayControl("fd12:3456::1"))
        #expect(!policy.mayControl("fe80::1"))
        #expect(policy.mayControl("2001:db8::5"))
        #expect(!policy.mayControl("2001:db8::6"))
        #expect(try ControlPolicy(allowing: ["0.0.0.0/0"]).mayControl("203.0.113.9"))
        #expect(try ControlPolicy(allowing: ["192.168.0.0/23"]).mayControl("192.168.1.255"))
        #expect(try !ControlPolicy(allowing: ["192.168.0.0/23"]).mayControl("192.168.2.0"))
    }

    @Test("entries that are not addresses are rejected", arguments: ["example.com", "192.168.1.0/33", "10.0.0.1/", "1.2.3", "::/129", "/8"])
    func invalidEntries(entry: String) {
        #expect(throws: ControlPolicyError.invalidEntry(entry)) { try ControlPolicy(allowing: [entry]) }
    }
}

@Suite("Request framing")
struct RequestFramerTests {
    func requests(_ chunks: [String], maximum: Int = 1000) -> [RequestFramer.Next] {
        var framer = RequestFramer(maximumBytes: maximum)
        var results: [RequestFramer.Next] = []
        for chunk in chunks {
            framer.append(Array(chunk.utf8))
            while true {
                let next = framer.next()
                results.append(next)
                if case .request = next { continue }
                break
            }
        }
        return results
    }

    @Test("one complete read is one request, answered at once, with or without a newline")
    func wholeReads() {
        #expect(requests(["generator: status"]) == [.request("generator: status"), .needMore(pending: false)])
        #expect(requests(["generator: status\r\n"]) == [.request("generator: status"), .needMore(pending: false)])
        #expect(requests(["generator: setremote=start"]) == [.request("generator: setremote=start"), .needMore(pending: false)])
        #expect(requests(["hello"]) == [.request("hello"), .needMore(pending: false)])
    }

    @Test("visibly unfinished reads wait for the rest")
    func unfinished() {
        #expect(requests(["gen", "erator: getbase"]).first == .needMore(pending: true))
        #expect(requests(["gen", "erator: getbase"]).dropFirst().first == .request("generator: getbase"))
        #expect(requests(["generator: stat"]) == [.needMore(pending: true)])
        #expect(requests(["generator: "]) == [.needMore(pending: true)])
        #expect(requests(["generator: setremote="]) == [.needMore(pending: true)])
        #expect(requests([#"generator: set_sensor_data=[{"a": "1 "#]) == [.needMore(pending: true)])
        #expect(requests([#"generator: set_sensor_data=[{"a": "1 "#, #"C"}]"#]).last
            == .needMore(pending: false))
        #expect(requests([#"generator: set_sensor_data=[{"a": "1 "#, #"C"}]"#]).contains(.request(#"generator: set_sensor_data=[{"a": "1 C"}]"#)))
    }

    @Test("a newline inside an unfinished JSON argument belongs to the argument")
    func newlineInJSON() {
        #expect(requests(["generator: set_tank_data={\"a\":\n1}\n"]).first == .request("generator: set_tank_data={\"a\":\n1}"))
    }

    @Test("several newline-separated requests come out one by one; blank lines are skipped")
    func lines() {
        #expect(requests(["generator: getbase\n\ngenerator: gethealth\n"])
            == [.request("generator: getbase"), .request("generator: gethealth"), .needMore(pending: false)])
    }

    @Test("flush hands over whatever is left (after the quiet gap or a half-close)")
    func flush() {
        var framer = RequestFramer()
        framer.append(Array("generator: getsiten".utf8))
        #expect(framer.next() == .needMore(pending: true))
        #expect(framer.flush() == "generator: getsiten")
        #expect(framer.flush() == nil)
        framer.append(Array("  \r".utf8))
        #expect(framer.flush() == nil)
    }

    @Test("newlines inside a long open argument arriving a little at a time are each looked at once")
    func longOpenArgument() {
        var framer = RequestFramer(maximumBytes: 64 * 1024)
        framer.append(Array("generator: set_tank_data=[".utf8))
        #expect(framer.next() == .needMore(pending: true))
        // 60,000 newlines in 600 reads: before, each read re-scanned everything from the start.
        for _ in 0..<600 {
            framer.append([UInt8](repeating: 0x0A, count: 100))
            #expect(framer.next() == .needMore(pending: true))
        }
        framer.append(Array("]\ngenerator: getbase\n".utf8))
        guard case let .request(text) = framer.next() else { Issue.record("the closed argument ends the request"); return }
        #expect(text.hasPrefix("generator: set_tank_data=[\n") && text.hasSuffix("\n]") && text.utf8.count == 26 + 60_000 + 1)
        #expect(framer.next() == .request("generator: getbase"))
        #expect(framer.next() == .needMore(pending: false))
    }

    @Test("an unterminated read longer than 4 KB is answered after the quiet gap, not examined on every read")
    func longUnterminatedRead() {
        var framer = RequestFramer()
        let long = "generator: add_maint_log={\"comment\": \"" + String(repeating: "x", count: 5000) + "\"}"
        framer.append(Array(long.utf8))
        #expect(framer.next() == .needMore(pending: true))
        #expect(framer.flush() == long)
    }

    @Test("more than the limit without an end is an overflow")
    func overflow() {
        #expect(requests([String(repeating: "x", count: 2000)]) == [.overflow])
        #expect(requests(["generator: " + String(repeating: "[", count: 2000)]) == [.overflow])
    }
}
