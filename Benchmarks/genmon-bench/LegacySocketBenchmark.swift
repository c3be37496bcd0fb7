import Foundation
import GenmonTesting
import LegacyProtocol
import Monitor
import Simulator

/// Requests per second on the original's command socket (`generator: status_json`), served from a
/// fixed snapshot of a simulated Evolution liquid-cooled controller, with N clients in parallel.
enum LegacySocketBenchmark {
    static func run(clientCounts: [Int] = [1, 10, 50], seconds: Double = 3) async {
        print("\n== Command socket (status_json requests per second, fixed snapshot, loopback)")
        let model = GeneratorModel(profile: .standard(.evolutionLiquidCooled), start: Date())
        let snapshot = GeneratorSnapshot.fromImage(model.image, siteName: "Bench")
        let service = FixedGeneratorService(snapshot: snapshot)
        let dispatcher = LegacyDispatcher(service: service, configuration: .init(networkProbe: { "OK" }))
        do {
            let server = try await LegacyCommandServer.start(dispatcher: dispatcher, configuration: .init(port: 0))
            let size = await (try? LegacyClient.connect(host: "127.0.0.1", port: server.port).command("status_json").utf8.count) ?? 0
            print("reply size: \(size) bytes")
            for clients in clientCounts {
                let (requests, elapsed, latencies) = try await measure(port: server.port, clients: clients, seconds: seconds)
                let sorted = latencies.sorted()
                print("\(clients) client\(clients == 1 ? "" : "s"): \(format(Double(requests) / elapsed)) requests/s, "
                    + "p50 \(format(percentile(sorted, 0.5))), p99 \(format(percentile(sorted, 0.99))), "
                    + "RSS \(String(format: "%.1f", residentMegabytes())) MB")
            }
            await server.close()
        } catch {
            print("command socket benchmark failed: \(error)")
        }
    }

    /// Each client sends a request, waits for its reply, and repeats until time is up.
    static func measure(port: Int, clients: Int, seconds: Double) async throws -> (Int, Double, [Duration]) {
        let clock = ContinuousClock()
        let connections = try await withThrowingTaskGroup(of: LegacyClient.self) { group in
            for _ in 0..<clients { group.addTask { try await LegacyClient.connect(host: "127.0.0.1", port: port) } }
            return try await group.reduce(into: [LegacyClient]()) { $0.append($1) }
        }
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let results = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for connection in connections {
                group.addTask {
                    var samples: [Duration] = []
                    while clock.now < deadline {
                        let begin = clock.now
                        _ = try await connection.command("status_json")
                        samples.append(begin.duration(to: clock.now))
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }
        let elapsed = start.duration(to: clock.now).seconds
        for connection in connections { await connection.close() }
        return (results.count, elapsed, results)
    }
}
