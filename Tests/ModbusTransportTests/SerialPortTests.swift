import Foundation
import GenmonTesting
@testable import ModbusTransport
import Testing

@Suite("Serial port opening", .tags(.pseudoTerminal), .slowTier, .timingSensitive)
struct SerialPortTests {
    @Test("a missing device says so and where to look")
    func missingDevice() {
        #expect(throws: TransportError.deviceNotFound(path: "/dev/ttyGENMON-missing")) {
            try SerialPort.stream(path: "/dev/ttyGENMON-missing")
        }
        #expect(TransportError.deviceNotFound(path: "/dev/x").description.contains("ls /dev/serial*"))
    }

    @Test("a file that is not a terminal is refused")
    func notATerminal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-not-a-tty-\(getpid())").path
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TransportError.notATerminal(path: path)) { try SerialPort.stream(path: path) }
    }

    @Test("unsupported line settings are refused before opening", arguments: [300, 14400, 250000])
    func unsupportedBaud(rate: Int) {
        #expect(throws: TransportError.unsupportedBaudRate(rate)) {
            try SerialPort.stream(path: "/dev/null", settings: SerialSettings(baudRate: rate))
        }
    }

    @Test("a permission problem names the group to join")
    func permissionHint() {
        let error = SerialPort.openError(path: "/dev/ttyS0", code: EACCES)
        if case let .permissionDenied(_, group?) = error {
            #expect(error.description.contains("usermod -aG \(group)"))
        } else {
            #expect(error == .permissionDenied(path: "/dev/ttyS0", group: nil))
        }
        #expect(SerialPort.openError(path: "/dev/ttyS0", code: EBUSY) == .deviceBusy(path: "/dev/ttyS0"))
    }

    @Test("a port already held by another stream is reported busy")
    func exclusiveOpen() throws {
        let terminal = try PseudoTerminal()
        let first = try SerialPort.stream(path: terminal.path)
        defer { first.close() }
        #expect(throws: TransportError.deviceBusy(path: terminal.path)) { try SerialPort.stream(path: terminal.path) }
    }

    @Test("wire time follows the line settings")
    func wireTime() {
        #expect(SerialSettings().wireTime(bytes: 96) == .milliseconds(100))
        #expect(SerialSettings(parity: .even).bitsPerCharacter == 11)
        #expect(SerialSettings(baudRate: 115200).description == "115200 8N1")
    }

    @Test("the default timeout at 9600 baud is well under upstream's 3.02 s yet covers a 950 ms controller")
    func defaultTimeout() {
        let timeout = ModbusClientConfiguration().timeout(requestBytes: 8, responseBytes: 7)
        #expect(timeout > .milliseconds(1250) && timeout < .milliseconds(1300))
        #expect(ModbusClientConfiguration(framing: .tcp, serial: nil).timeout(requestBytes: 12, responseBytes: 11) == .seconds(3))
    }
}

@Suite("Descriptor stream", .tags(.pseudoTerminal), .slowTier, .timingSensitive)
struct DescriptorStreamTests {
    @Test("a read with nothing to read returns empty at its deadline, not before and not much after")
    func readDeadline() async throws {
        let terminal = try PseudoTerminal()
        let stream = try terminal.masterStream()
        defer { stream.close() }
        let start = ContinuousClock.now
        let bytes = try await stream.read(until: start + .milliseconds(80))
        let elapsed = start.duration(to: .now)
        #expect(bytes.isEmpty)
        // Never early; late only by scheduling (the test machine may be busy with other suites).
        #expect(elapsed >= .milliseconds(79) && elapsed < .seconds(2))
    }

    @Test("a cancelled read ends at once")
    func cancelledRead() async throws {
        let terminal = try PseudoTerminal()
        let stream = try terminal.masterStream()
        defer { stream.close() }
        let task = Task { try await stream.read(until: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await #expect(throws: TransportError.cancelled) { try await task.value }
    }

    @Test("closing a stream fails its pending read")
    func closeFailsPendingRead() async throws {
        let terminal = try PseudoTerminal()
        let stream = try terminal.masterStream()
        let task = Task { try await stream.read(until: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(20))
        stream.close()
        await #expect(throws: TransportError.closed) { try await task.value }
        await #expect(throws: TransportError.closed) { try await stream.write([1]) }
    }

    @Test("bytes written on one end arrive on the other, and discarding counts them")
    func passesBytes() async throws {
        let terminal = try PseudoTerminal()
        let master = try terminal.masterStream()
        let port = try SerialPort.stream(path: terminal.path)
        defer { master.close(); port.close() }
        try await port.write(Array(0..<200))
        var received: [UInt8] = []
        while received.count < 200 {
            let chunk = try await master.read(until: .now + .seconds(2))
            guard !chunk.isEmpty else { break }
            received += chunk
        }
        #expect(received == Array(0..<200))
        try await master.write([1, 2, 3])
        try await Task.sleep(for: .milliseconds(50))
        #expect(port.discardInput() == 3)
    }
}
