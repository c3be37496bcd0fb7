import Appliance
import Foundation
import Generac
import GenmonBasics
import ModbusTransport

/// `genmon doctor` talking to the controller itself (no genmon running): does it answer at the
/// configured speed and address, how noisy is the line, and, when it is silent, does it answer
/// at another speed.
enum ControllerProbe {
    static func findings(link: ModbusLink, options: ModbusLinkOptions, seconds: Int) async -> [DoctorFinding] {
        var probeOptions = options
        probeOptions.failFast = true
        let client: ModbusClient
        do { client = try await openWhenFree(link, options: probeOptions) } catch {
            return [.fail("controller", "cannot open \(link.endpoint): \(error)", fix: "see the serial device check above")]
        }
        let address = String(options.slaveAddress, radix: 16)
        guard let code = await readProductCode(client) else {
            client.stream.close()
            var findings: [DoctorFinding] = []
            if case let .serial(path, settings) = link {
                if let other = await otherSpeed(path: path, settings: settings, options: probeOptions) {
                    findings.append(.fail("controller", "no answer at \(settings.baudRate) baud, but it answers at \(other) baud",
                                          fix: "set serial_rate = \(other) in genmon.conf (Evolution and Nexus controllers use 9600)"))
                    return findings
                }
                findings.append(.fail("controller", "no answer at \(settings.baudRate) baud from address \(address) on \(path)",
                                      fix: "check the wiring (TX to RX, RX to TX, ground), that the controller is powered, and address in genmon.conf (9d)"))
            } else {
                findings.append(.fail("controller", "no answer through \(link.endpoint) from address \(address)",
                                      fix: "check the bridge's serial settings (9600 8N1) and its wiring to the controller"))
            }
            return findings
        }
        let identity = ControllerIdentity.detect(productCode: code)
        var findings: [DoctorFinding] = [.pass("controller", "\(identity.displayName) answers at \(link.endpoint) address \(address)")]
        let before = await client.statistics
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            _ = try? await client.readHoldingRegisters(address: Register.productCode, count: 1)
        }
        let after = await client.statistics
        client.stream.close()
        findings.append(CommunicationRates.between(rates(before), rates(after)).finding(over: seconds))
        return findings
    }

    static func rates(_ statistics: CommunicationStatistics) -> CommunicationRates {
        CommunicationRates(requests: statistics.requestsSent, crcErrors: statistics.crcErrors, timeouts: statistics.timeouts + statistics.truncatedFrames)
    }

    /// Opens the link, waiting up to 2 s while the device is still locked: a closed stream lets go of
    /// its descriptor on its own I/O thread a moment later, and the next open must not take that for
    /// another program holding the port.
    static func openWhenFree(_ link: ModbusLink, options: ModbusLinkOptions) async throws -> ModbusClient {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            do { return try ModbusClient.open(link, options: options) } catch let error as TransportError {
                guard case .deviceBusy = error, ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Three tries: one lost frame is not silence.
    static func readProductCode(_ client: ModbusClient) async -> UInt16? {
        for _ in 0..<3 {
            if let words = try? await client.readHoldingRegisters(address: Register.productCode, count: 1), let code = words.first { return code }
        }
        return nil
    }

    /// The first other speed at which the controller answers.
    static func otherSpeed(path: String, settings: SerialSettings, options: ModbusLinkOptions) async -> Int? {
        for rate in [9600, 19200, 4800, 38400, 115200, 2400] where rate != settings.baudRate {
            var other = settings
            other.baudRate = rate
            guard let client = try? await openWhenFree(.serial(path: path, settings: other), options: options) else { continue }
            let answered = (try? await client.readHoldingRegisters(address: Register.productCode, count: 1)) != nil
            client.stream.close()
            if answered { return rate }
        }
        return nil
    }
}
