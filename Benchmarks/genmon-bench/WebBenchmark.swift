import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LegacyProtocol
import ModbusTransport
import Monitor
import Store
import Web

/// The web app while the monitor polls the simulator (its own process, paced at 9600 baud like a
/// real controller): requests per second and latency of `/api/v1/status` with an API token, under
/// wrk (Debian's package) as a separate process, and the resident memory with the web app up.
enum WebBenchmark {
    static func run(seconds: Int = 10, connections: [Int] = [1, 10, 50]) async {
        print("\n== Web app: /api/v1/status under wrk while the monitor polls the simulator (9600 baud pacing)")
        guard let genmon = MonitorBenchmark.siblingExecutable("genmon") else {
            print("genmon executable not found next to genmon-bench; build it first (swift build -c release)")
            return
        }
        let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let (simulator, device) = MonitorBenchmark.startSimulator(genmon, controlPort: 0) else { return }
        defer { simulator.terminate() }
        do {
            try await measure(device: device, wrk: wrk, seconds: seconds, connections: connections)
        } catch {
            print("web benchmark failed: \(error)")
        }
    }

    static func measure(device: String, wrk: String?, seconds: Int, connections: [Int]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-bench-web-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = ModbusClient(stream: try SerialPort.stream(path: device))
        let database = try GenmonDatabase(path: directory + "/genmon.sqlite")
        let monitor = GeneratorMonitor(link: client, configuration: MonitorConfiguration(siteName: "bench"), persistence: database)
        let monitoring = Task { await monitor.run() }
        for await snapshot in monitor.snapshots() where snapshot.isInitialized { break }
        let withoutWeb = residentMegabytes()

        let accounts = try AccountStore(path: directory + "/accounts.sqlite")
        let token = try await accounts.createToken(name: "bench", role: .viewer, createdBy: "bench").secret
        let app = WebApp(service: monitor, database: database, accounts: accounts, legacy: LegacyDispatcher(service: monitor))
        let server = try await WebServer.start(app, configuration: .init(host: "127.0.0.1", port: 0))
        let url = server.baseURL + "/api/v1/status"
        let size = try await fetch(url, token: token).count
        try await Task.sleep(for: .seconds(1))
        print(String(format: "RSS: %.1f MB monitoring, %.1f MB with the web app up and idle; status answer %d bytes", withoutWeb,
                     residentMegabytes(), size))
        let idleBefore = await client.statistics
        let idleStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(5))
        let idleAfter = await client.statistics
        print(String(format: "monitor polling with nobody on the page: %.1f Modbus answers/s",
                     Double(idleAfter.successes - idleBefore.successes) / idleStart.duration(to: .now).seconds))
        guard let wrk else {
            print("wrk is not installed (apt-get install wrk): no load figures")
            await finish(server, monitoring, client)
            return
        }
        for count in connections {
            let before = await client.statistics
            let started = ContinuousClock.now
            let cpuBefore = MonitorBenchmark.cpuSeconds()
            let report = try runWrk(wrk, url: url, token: token, connections: count, seconds: seconds)
            let elapsed = started.duration(to: .now).seconds
            let after = await client.statistics
            let polled = Double(after.successes - before.successes) / elapsed
            print("\(count) connection\(count == 1 ? "" : "s"): \(report.requestsPerSecond) requests/s, latency p50 \(report.p50), "
                  + "p99 \(report.p99)\(report.errors.isEmpty ? "" : ", " + report.errors); "
                  + String(format: "RSS %.1f MB; genmon CPU %.0f%%; monitor kept polling: %.1f Modbus answers/s", residentMegabytes(),
                           (MonitorBenchmark.cpuSeconds() - cpuBefore) / elapsed * 100, polled))
        }
        print(String(format: "RSS after the runs: %.1f MB", residentMegabytes()))
        await finish(server, monitoring, client)
    }

    static func finish(_ server: WebServer, _ monitoring: Task<Void, Never>, _ client: ModbusClient) async {
        await server.close()
        monitoring.cancel()
        await monitoring.value
        client.stream.close()
    }

    struct WrkReport {
        var requestsPerSecond = "?"
        var p50 = "?"
        var p99 = "?"
        var errors = ""
    }

    /// Runs wrk on two threads and reads its summary.
    static func runWrk(_ wrk: String, url: String, token: String, connections: Int, seconds: Int) throws -> WrkReport {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t", String(min(2, connections)), "-c", String(connections), "-d", "\(seconds)s", "--latency",
                             "-H", "Authorization: Bearer \(token)", url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var report = WrkReport()
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), let value = fields.last { report.requestsPerSecond = String(value) }
            if line.hasPrefix("50%"), let value = fields.last { report.p50 = String(value) }
            if line.hasPrefix("99%"), let value = fields.last { report.p99 = String(value) }
            if line.hasPrefix("Non-2xx") || line.hasPrefix("Socket errors") { report.errors += line + " " }
        }
        return report
    }

    static func fetch(_ url: String, token: String) async throws -> Data {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return data
    }
}
