import GenmonBasics

/// A serial loopback test for the cable or adapter before the generator is connected: with TX
/// bridged to RX, every byte written must come straight back. Reports in plain words what passed
/// and, on failure, what to check.
public enum SerialLoopbackTest {
    public struct Pattern: Sendable, Equatable {
        public var name: String
        public var bytes: [UInt8]
    }

    public struct Outcome: Sendable, Equatable {
        public var pattern: String
        public var sent: Int
        public var received: Int
        public var matched: Bool
        /// What did come back equals the start of what was sent (false: bytes were changed).
        public var receivedUnchanged: Bool
    }

    public struct Report: Sendable, Equatable {
        public var device: String
        public var settings: String
        public var outcomes: [Outcome]
        /// Why the port could not be used at all (not found, permissions, busy...).
        public var openError: String?
        public var passed: Bool { openError == nil && !outcomes.isEmpty && outcomes.allSatisfy(\.matched) }

        /// Lines for a person: one per pattern, a verdict, and what to check when it failed.
        public var lines: [String] {
            var lines: [String] = []
            if let openError {
                lines.append("FAIL: cannot use \(device): \(openError)")
                return lines
            }
            lines.append("Serial loopback test on \(device) at \(settings) (TX must be bridged to RX):")
            for outcome in outcomes {
                let verdict = outcome.matched ? "ok  " : "FAIL"
                var line = "  \(verdict) \(outcome.pattern): sent \(outcome.sent) bytes, got \(outcome.received) back"
                if !outcome.matched, outcome.received == outcome.sent { line += ", but changed" }
                lines.append(line)
            }
            if passed {
                lines.append("PASS: every byte came back unchanged. The port, the adapter and the wiring to the loopback work.")
                return lines
            }
            lines.append("FAIL: " + diagnosis)
            return lines
        }

        var diagnosis: String {
            let received = outcomes.reduce(0) { $0 + $1.received }
            if received == 0 {
                return "nothing came back. Check that TX is bridged to RX (the loopback jumper or wire), that the cable "
                    + "is plugged into this port, that this is the right device, and that no other program (a serial "
                    + "console/getty, ModemManager, another genmon) is reading the port."
            }
            if outcomes.allSatisfy(\.receivedUnchanged) {
                return "only part of what was sent came back. Check for a loose loopback connection, another program "
                    + "reading the same port, or flow control on the adapter."
            }
            return "bytes came back changed. Check that both ends use the same baud rate and parity (the controller "
                + "talks 9600 8N1), and look for a long or unshielded cable, a missing ground, or RS-232/TTL level mismatch."
        }
    }

    /// Alternating bits, every byte value, a Modbus request, and text.
    public static let standardPatterns: [Pattern] = [
        Pattern(name: "alternating bits 0x55/0xAA", bytes: Array(repeating: [0x55, 0xAA], count: 16).flatMap { $0 }),
        Pattern(name: "all 256 byte values", bytes: (0...255).map { UInt8($0) }),
        Pattern(name: "Modbus read request", bytes: [0x9D, 0x03, 0x00, 0x01, 0x00, 0x02, 0x8B, 0xB3]),
        Pattern(name: "text", bytes: Array("genmon serial loopback test 0123456789\r\n".utf8)),
    ]

    /// Opens `device`, sends each pattern, reads it back. Waits at most the wire time of the pattern
    /// plus `slack` for each.
    public static func run(device: String, settings: SerialSettings = SerialSettings(),
                           patterns: [Pattern] = standardPatterns, slack: Duration = .milliseconds(500)) async -> Report {
        var report = Report(device: device, settings: settings.description, outcomes: [])
        let stream: DescriptorStream
        do {
            stream = try SerialPort.stream(path: device, settings: settings)
        } catch {
            report.openError = error.description
            return report
        }
        defer { stream.close() }
        for pattern in patterns {
            _ = stream.discardInput()
            var received: [UInt8] = []
            do {
                try await stream.write(pattern.bytes)
                let deadline = ContinuousClock.now + settings.wireTime(bytes: pattern.bytes.count) * 2 + slack
                while received.count < pattern.bytes.count, ContinuousClock.now < deadline {
                    received += try await stream.read(until: deadline)
                }
            } catch {
                report.outcomes.append(Outcome(pattern: pattern.name, sent: pattern.bytes.count, received: received.count, matched: false,
                                               receivedUnchanged: Array(pattern.bytes.prefix(received.count)) == received))
                continue
            }
            report.outcomes.append(Outcome(pattern: pattern.name, sent: pattern.bytes.count, received: received.count,
                                           matched: received == pattern.bytes,
                                           receivedUnchanged: Array(pattern.bytes.prefix(received.count)) == received))
        }
        return report
    }
}
