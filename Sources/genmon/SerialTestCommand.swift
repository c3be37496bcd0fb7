import ArgumentParser
import LegacyProtocol
import ModbusTransport

/// `genmon serialtest`: a loopback test of the serial port and cable (bridge TX to RX first).
struct SerialTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serialtest",
        abstract: "Test a serial port with TX bridged to RX: writes patterns and checks they come back.",
        discussion: "Disconnect the generator and put a jumper (or wire) between TX and RX of the port first."
    )

    @Argument(help: "Serial device.")
    var device = "/dev/serial0"

    @Option(name: .long, help: "Baud rate (the controllers use 9600).")
    var baud = 9600

    func validate() throws {
        guard SerialSettings.supportedBaudRates.contains(baud) else {
            throw ValidationError("baud must be one of " + SerialSettings.supportedBaudRates.map(String.init).joined(separator: ", "))
        }
    }

    func run() async throws {
        let report = await SerialLoopbackTest.run(device: device, settings: SerialSettings(baudRate: baud))
        for line in report.lines { print(line) }
        if !report.passed { throw ExitCode.failure }
    }
}
