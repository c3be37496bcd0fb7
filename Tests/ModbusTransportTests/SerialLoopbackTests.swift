import GenmonTesting
import Testing
@testable import ModbusTransport

@Suite("genmon serialtest", .tags(.pseudoTerminal), .slowTier, .timingSensitive)
struct SerialLoopbackTests {
    @Test("passes on a looped-back pseudo-terminal")
    func loopedBack() async throws {
        let terminal = try PseudoTerminal()
        let master = try terminal.masterStream()
        let echo = Task {
            while !Task.isCancelled {
                guard let bytes = try? await master.read(until: .now + .milliseconds(200)) else { return }
                if !bytes.isEmpty { try? await master.write(bytes) }
            }
        }
        let report = await SerialLoopbackTest.run(device: terminal.path)
        echo.cancel()
        master.close()
        #expect(report.passed)
        #expect(report.outcomes.count == SerialLoopbackTest.standardPatterns.count)
        #expect(report.lines.last?.hasPrefix("PASS:") == true)
        #expect(report.lines.contains { $0.contains("all 256 byte values: sent 256 bytes, got 256 back") })
    }

    @Test("fails clearly when nothing answers, naming what to check")
    func deadLine() async throws {
        let terminal = try PseudoTerminal()
        let report = await SerialLoopbackTest.run(device: terminal.path, slack: .milliseconds(100))
        #expect(!report.passed)
        let verdict = try #require(report.lines.last)
        #expect(verdict.hasPrefix("FAIL: nothing came back."))
        #expect(verdict.contains("TX is bridged to RX"))
        #expect(verdict.contains("another genmon"))
    }

    @Test("fails clearly when the bytes come back changed")
    func garbled() async throws {
        let terminal = try PseudoTerminal()
        let master = try terminal.masterStream()
        let echo = Task {
            while !Task.isCancelled {
                guard let bytes = try? await master.read(until: .now + .milliseconds(200)) else { return }
                if !bytes.isEmpty { try? await master.write(bytes.map { $0 ^ 0x01 }) }
            }
        }
        let report = await SerialLoopbackTest.run(device: terminal.path)
        echo.cancel()
        master.close()
        #expect(!report.passed)
        #expect(report.lines.last?.hasPrefix("FAIL: bytes came back changed.") == true)
        #expect(report.lines.last?.contains("baud rate") == true)
    }

    @Test("a missing device is reported with the transport's advice")
    func missingDevice() async {
        let report = await SerialLoopbackTest.run(device: "/dev/genmon-no-such-port")
        #expect(!report.passed)
        #expect(report.lines == ["FAIL: cannot use /dev/genmon-no-such-port: " + TransportError.deviceNotFound(path: "/dev/genmon-no-such-port").description])
    }
}
