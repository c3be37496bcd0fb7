import Appliance
import Foundation
import Generac
import GenmonConfig
import LegacyProtocol
import Monitor
import ModbusTransport

/// The controller's part of a support bundle: the original's reports (status, monitor statistics,
/// logs) and the register dump, from the running genmon or, when none runs, from a short read here.
struct ControllerReports {
    var files: [(String, String)] = []
    var dump: RegisterDump?
    /// Where they came from, for the one line printed at the end.
    var note: String

    static let commands = [("status.txt", "status"), ("monitor.json", "monitor_json"), ("logs.txt", "logs"), ("outage.txt", "outage"),
                           ("maintenance.txt", "maint")]

    static func collect(configuration: GenmonConfiguration, waitSeconds: Int) async -> ControllerReports {
        if let running = await RunningGenmon.find(port: configuration.socketPort) {
            defer { Task { await running.close() } }
            var reports = ControllerReports(note: "registers and statistics from the running genmon")
            for (file, command) in commands {
                let answer = (try? await running.client.command("generator: " + command, timeout: .seconds(30))) ?? "no answer to \(command)"
                reports.files.append((file, answer))
            }
            if let text = try? await running.client.command("generator: allregs_json", timeout: .seconds(30)) {
                reports.dump = dump(allRegisters: text, monitorJSON: reports.files.first { $0.0 == "monitor.json" }?.1, source: "the running genmon")
            }
            return reports
        }
        guard waitSeconds > 0 else { return ControllerReports(note: "genmon is not running; the controller was not read (--controller-seconds 0)") }
        return await readHere(configuration: configuration, waitSeconds: waitSeconds)
    }

    /// The dump from `allregs_json`, with the controller's name from `monitor_json`.
    static func dump(allRegisters text: String, monitorJSON: String?, source: String) -> RegisterDump? {
        guard var dump = try? RegisterDump(allRegistersJSON: Data(text.utf8)) else { return nil }
        dump.source = "genmon \(GenmonVersion.current) support bundle, from \(source)"
        dump.captured = ISO8601DateFormatter().string(from: Date())
        if let monitorJSON, let range = monitorJSON.range(of: "\"Controller\": \"") {
            dump.controller = String(monitorJSON[range.upperBound...].prefix { $0 != "\"" })
        }
        return dump
    }

    /// Runs a monitor here (no database, nothing written) until the first complete status or the deadline.
    static func readHere(configuration: GenmonConfiguration, waitSeconds: Int) async -> ControllerReports {
        let client: ModbusClient
        do { client = try ModbusClient.open(configuration.link, options: configuration.linkOptions) } catch {
            return ControllerReports(files: [("controller.txt", "cannot open \(configuration.link.endpoint): \(error)\n")],
                                     note: "the controller could not be opened (\(error))")
        }
        defer { client.close() }
        let monitor = GeneratorMonitor(link: client, configuration: MonitorConfiguration(siteName: configuration.siteName, settings: configuration.settings))
        let running = Task { await monitor.run() }
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        var snapshot = monitor.snapshot()
        while !snapshot.isInitialized, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(250))
            snapshot = monitor.snapshot()
        }
        running.cancel()
        await running.value
        let context = ReportContext(settings: configuration.settings, siteName: configuration.siteName)
        guard let reports = Reports(snapshot: snapshot, context: context) else {
            return ControllerReports(files: [("controller.txt", "no answer from the controller at \(configuration.link.endpoint) within \(waitSeconds) s\n")],
                                     note: "the controller did not answer within \(waitSeconds) s")
        }
        var result = ControllerReports(note: snapshot.isInitialized ? "the controller read here (genmon was not running)"
                                       : "the controller read here for \(waitSeconds) s, not completely")
        result.files = [("status.txt", ReportRendering.text(reports.status())), ("monitor.json", JSON.encode(reports.monitor())),
                        ("logs.txt", ReportRendering.text(reports.logs())), ("outage.txt", ReportRendering.text(reports.outage())),
                        ("maintenance.txt", ReportRendering.text(reports.maintenance()))]
        result.dump = dump(allRegisters: JSON.encode(reports.registers(includeLogs: true)), monitorJSON: result.files[1].1, source: "a read by support-bundle")
        result.dump?.complete = snapshot.isInitialized
        return result
    }
}
