import Foundation
import ModbusTransport

/// Runs `body` repeatedly for about `seconds` and returns operations per second.
func rate(seconds: Double = 1.0, batch: Int = 1000, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var operations = 0
    let start = clock.now
    var elapsed = Duration.zero
    repeat {
        for _ in 0..<batch { try body() }
        operations += batch
        elapsed = start.duration(to: clock.now)
    } while elapsed < .seconds(seconds)
    return Double(operations) / elapsed.seconds
}

/// Percentile of already-sorted samples.
func percentile(_ sorted: [Duration], _ fraction: Double) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
}

func format(_ value: Double) -> String {
    value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
}

func format(_ duration: Duration) -> String { String(format: "%.3f ms", duration.seconds * 1000) }

/// The figures only mean something next to the machine they came from.
func printMachine() {
    let info = ProcessInfo.processInfo
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    print("machine: \(cpu), \(info.activeProcessorCount) cores, \(info.physicalMemory / 1_048_576) MiB")
}

/// Resident memory of this process, from /proc.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
