// genmon-bench: benchmarks that print figures a person can compare between runs and machines.
// Run them optimised: `swift run -c release genmon-bench [modbus|monitor|socket|web|mqtt|all]`.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let selected = Set(arguments.isEmpty ? ["all"] : arguments)
let known = ["modbus", "monitor", "socket", "web", "mqtt"]
guard selected.isSubset(of: Set(known + ["all"])) else {
    print("usage: genmon-bench [\((known + ["all"]).joined(separator: "|"))]")
    exit(2)
}
printMachine()
if selected.contains("modbus") || selected.contains("all") { await ModbusBenchmark.run() }
if selected.contains("monitor") || selected.contains("all") { await MonitorBenchmark.run() }
if selected.contains("socket") || selected.contains("all") { await LegacySocketBenchmark.run() }
if selected.contains("web") || selected.contains("all") { await WebBenchmark.run() }
if selected.contains("mqtt") || selected.contains("all") { await MQTTBenchmark.run() }
