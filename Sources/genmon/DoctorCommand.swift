import Appliance
import ArgumentParser
import CPosixSupport
import Foundation
import GenmonConfig
import LegacyProtocol
import ModbusTransport

/// `genmon doctor`: checks everything genmon needs and says, for each, what to do. Exit 0 only when
/// all pass. While genmon runs it asks the running genmon (over the command socket) instead of
/// opening the controller's port a second time.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the serial port, the controller, ports, data directory, clock, config files and endpoints.",
        discussion: "Exit status 0 when every check passes, 1 otherwise. Safe while the service runs."
    )

    @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).") var config: String?
    @Option(help: "Data directory (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
    @Option(help: "How long to measure CRC errors and timeouts, in seconds.") var seconds = 20
    @Option(help: "The web app's port to check (default http_port in genmon.conf, 8000).") var webPort: Int?
    @Option(help: "The command socket's port to check (default server_port in genmon.conf, 9082).") var socketPort: Int?

    func validate() throws {
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1 to 600") }
    }

    func run() async throws {
        genmon_line_buffer_stdout()
        var report = DoctorReport()
        let path = config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
        var configuration = GenmonConfiguration()
        report.findings += DoctorChecks.configFiles(path: path, configuration: &configuration)
        if let dataDir { configuration.dataDirectory = dataDir }
        if let webPort { configuration.webPort = webPort }
        if let socketPort { configuration.socketPort = socketPort }

        let running = await RunningGenmon.find(port: configuration.socketPort)
        if running != nil { print("a running genmon answers on port \(configuration.socketPort): asking it about the controller") }
        report.findings += DoctorChecks.serialDevice(configuration.link, runningGenmon: running != nil)
        if let running {
            report.findings += await running.controllerFindings(seconds: seconds)
            await running.close()
        } else {
            report.findings += await ControllerProbe.findings(link: configuration.link, options: configuration.linkOptions, seconds: seconds)
        }
        report.findings.append(DoctorChecks.port(configuration.webPort, purpose: "web app", runningGenmon: running != nil))
        report.findings.append(DoctorChecks.port(configuration.socketPort, purpose: "command socket", runningGenmon: running != nil))
        report.findings += DoctorChecks.dataDirectory(configuration.dataDirectory)
        report.findings.append(DoctorChecks.clock())
        report.findings += await DoctorChecks.endpoints(configuration)
        print(report.text)
        if !report.passed { throw ExitCode(report.exitStatus) }
    }
}

/// A genmon already running, reached over its command socket.
struct RunningGenmon {
    let client: LegacyClient

    /// The genmon answering on 127.0.0.1:`port`, if one does.
    static func find(port: Int) async -> RunningGenmon? {
        guard port > 0, let client = try? await LegacyClient.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(2)) else { return nil }
        return RunningGenmon(client: client)
    }

    func close() async { await client.close() }

    /// The monitor's communication counters (`monitor_json`).
    func counters() async -> (rates: CommunicationRates, health: String, controller: String)? {
        guard let text = try? await client.command("generator: monitor_json", timeout: .seconds(20)),
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let sections = object["Monitor"] as? [[String: Any]] else { return nil }
        var merged: [String: Any] = [:]
        for section in sections {
            for (_, value) in section { for entry in value as? [[String: Any]] ?? [] { merged.merge(entry) { $1 } } }
        }
        func count(_ key: String) -> Int { Int("\(merged[key] ?? "")".trimmingCharacters(in: .whitespaces)) ?? 0 }
        let packets = "\(merged["Packet Count"] ?? "")"
        let requests = packets.split(separator: ",").first.flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") } ?? 0
        return (CommunicationRates(requests: requests, crcErrors: count("CRC Errors"), timeouts: count("Timeout Errors")),
                "\(merged["Monitor Health"] ?? "")", "\(merged["Controller"] ?? "")")
    }

    func controllerFindings(seconds: Int) async -> [DoctorFinding] {
        guard let first = await counters() else {
            return [.fail("controller", "the running genmon did not answer monitor_json", fix: "see journalctl -u genmon")]
        }
        var findings: [DoctorFinding] = []
        if first.health.contains("Not receiving") {
            findings.append(.fail("controller", "the running genmon gets no answer from the controller (\(first.health.trimmingCharacters(in: .whitespaces)))",
                                  fix: "check the cable, the baud rate (serial_rate) and the address in genmon.conf; stop genmon and run genmon doctor for a baud-rate search"))
        } else {
            findings.append(.pass("controller", "answers the running genmon: \(first.controller) (\(first.health))"))
        }
        try? await Task.sleep(for: .seconds(seconds))
        guard let second = await counters() else { return findings }
        findings.append(CommunicationRates.between(first.rates, second.rates).finding(over: seconds))
        return findings
    }
}
