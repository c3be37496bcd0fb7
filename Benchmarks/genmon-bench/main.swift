// genmon-bench: benchmarks that print figures a person can compare between runs and machines.
// Run them optimised: `swift build -c release`, then `.build/release/genmon-bench [mode]`.
//   modbus | monitor | socket | web | notify | mqtt | all    throughput and latency figures
//   soak [--minutes M]                        genmon run under load and faults (default 10 minutes)
//   fuzz [--inputs N] [--seed S]              seeded random inputs through what faces the outside (default 10 million)
//   lean [--minutes M] [--genmon PATH]        memory, CPU, start-up time and binary size of genmon run at 9600 baud
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let known = ["modbus", "monitor", "socket", "web", "notify", "mqtt"]

/// The value after `--name`, if given.
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

switch arguments.first {
case "soak":
    printMachine()
    let minutes = option("minutes").flatMap(Double.init) ?? 10
    exit(await SoakRun.main(minutes: minutes, arguments: arguments) ? 0 : 1)
case "lean":
    printMachine()
    exit(await LeanRun.main(minutes: option("minutes").flatMap(Double.init) ?? 10, genmonPath: option("genmon")) ? 0 : 1)
case "fuzz":
    printMachine()
    do {
        try await FuzzRun.run(inputs: option("inputs").flatMap(Int.init) ?? 10_000_000, seed: option("seed").flatMap(UInt64.init) ?? 0x6765_6E6D)
    } catch {
        print("fuzz: \(error)")
        exit(1)
    }
default:
    let selected = Set(arguments.isEmpty ? ["all"] : arguments)
    guard selected.isSubset(of: Set(known + ["all"])) else {
        print("usage: genmon-bench [\((known + ["all"]).joined(separator: "|"))] | soak [--minutes M] | lean [--minutes M] [--genmon PATH] | fuzz [--inputs N] [--seed S]")
        exit(2)
    }
    printMachine()
    if selected.contains("modbus") || selected.contains("all") { await ModbusBenchmark.run() }
    if selected.contains("monitor") || selected.contains("all") { await MonitorBenchmark.run() }
    if selected.contains("socket") || selected.contains("all") { await LegacySocketBenchmark.run() }
    if selected.contains("web") || selected.contains("all") { await WebBenchmark.run() }
    if selected.contains("notify") || selected.contains("all") { await NotifyBenchmark.run() }
    if selected.contains("mqtt") || selected.contains("all") { await MQTTBenchmark.run() }
}
