import CoreMetrics
import Foundation
import GenmonBasics
import GenmonTesting
@testable import HomeAutomation
import Monitor
import Testing

/// Parses a Prometheus text exposition with prometheus_client's own parser (what a Prometheus server's
/// format is checked against in the Python world) and prints one line per sample.
let prometheusParser = """
import sys
from prometheus_client.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        labels = ','.join(k + '=' + v for k, v in sorted(sample.labels.items()))
        print(family.name + '\\t' + family.type + '\\t' + sample.name + '\\t' + labels + '\\t' + repr(float(sample.value)))
"""

struct ParsedSample: Sendable {
    let family: String
    let type: String
    let name: String
    let labels: String
    let value: Double
}

@Suite("Prometheus metrics, read by prometheus_client", .serialized, .tags(.process), .slowTier)
struct MetricsTests {
    func parse(_ exposition: [UInt8]) async throws -> [ParsedSample] {
        let result = try await runPython(prometheusParser, input: String(decoding: exposition, as: UTF8.self))
        try #require(result.status == 0, "prometheus_client could not parse /metrics:\n\(result.output)")
        return result.output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 5, let value = Double(parts[4]) else { return nil }
            return ParsedSample(family: parts[0], type: parts[1], name: parts[2], labels: parts[3], value: value)
        }
    }

    func snapshot() throws -> GeneratorSnapshot {
        var snapshot = try Fixture.evolutionAC.snapshot()
        var stats = CommunicationStatistics(since: .now)
        (stats.requestsSent, stats.responsesReceived, stats.successes, stats.crcErrors, stats.timeouts) = (1000, 990, 980, 7, 13)
        (stats.exceptions, stats.validationErrors, stats.discardedBytes, stats.commRestarts) = (3, 0, 42, 2)
        snapshot.communication.statistics = stats
        return snapshot
    }

    @Test("the exposition parses, names follow Prometheus conventions, and the values are the snapshot's")
    func valuesAndNames() async throws {
        let metrics = GenmonMetrics()
        metrics.observe(try snapshot())
        metrics.record(MonitorEvent(time: Date(), kind: .outageStarted(utilityVolts: 0)))
        metrics.record(MonitorEvent(time: Date(), kind: .engineStateChanged(from: "Off", to: "Cranking")))
        metrics.recordNotification(channel: "email", delivered: true)
        metrics.recordNotification(channel: "sms", delivered: false)
        // The Modbus client's timer, through the factory it is given.
        CoreMetrics.Timer(label: GenmonMetrics.transactionTimerLabel, factory: metrics.factory).recordNanoseconds(31_000_000)
        let samples = try await parse(metrics.render())
        func value(_ name: String, _ labels: String = "") -> Double? { samples.first { $0.name == name && $0.labels == labels }?.value }

        #expect(value("genmon_battery_voltage_volts") == 14.3)
        #expect(value("genmon_utility_voltage_volts") == 240)
        #expect(value("genmon_utility_threshold_volts") == 156)
        #expect(value("genmon_output_frequency_hertz") == 0)
        #expect(value("genmon_engine_rpm") == 0)
        #expect(value("genmon_output_power_watts") == 0)
        #expect(value("genmon_engine_run_time_seconds") == 0)
        #expect(value("genmon_rated_power_watts") == 11_000)
        #expect(value("genmon_switch_state", "state=Auto") == 1 && value("genmon_switch_state", "state=Manual") == 0)
        #expect(value("genmon_status", "status=READY") == 1 && value("genmon_status", "status=ALARM") == 0)
        #expect(value("genmon_engine_state", "state=Off - Ready") == 1)
        #expect(value("genmon_utility_outage") == 0 && value("genmon_alarm_active") == 0 && value("genmon_controller_answering") == 1)
        #expect(value("genmon_modbus_transactions_total", "outcome=success") == 980)
        #expect(value("genmon_modbus_transactions_total", "outcome=crc_error") == 7)
        #expect(value("genmon_modbus_transactions_total", "outcome=timeout") == 13)
        #expect(value("genmon_modbus_transactions_total", "outcome=exception") == 3)
        #expect(value("genmon_modbus_requests_total") == 1000 && value("genmon_modbus_discarded_bytes_total") == 42)
        #expect(value("genmon_modbus_reconnects_total") == 2)
        #expect(value("genmon_outages_total") == 1)
        #expect(value("genmon_events_total", "name=outage_started,severity=warning") == 1)
        #expect(value("genmon_notification_deliveries_total", "channel=email,result=delivered") == 1)
        #expect(value("genmon_notification_deliveries_total", "channel=sms,result=failed") == 1)
        #expect(value("genmon_modbus_transaction_duration_seconds_count") == 1)
        #expect(value("genmon_modbus_transaction_duration_seconds_bucket", "le=0.05") == 1)
        #expect(value("genmon_modbus_transaction_duration_seconds_bucket", "le=0.025") == 0)
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect(value("process_cpu_seconds_total") != nil && value("process_start_time_seconds") ?? 0 > 1_600_000_000)

        let unitSuffixes = ["_volts", "_amperes", "_watts", "_hertz", "_seconds", "_ratio", "_celsius", "_bytes", "_rpm"]
        let unitless: Set<String> = ["genmon_info", "genmon_switch_state", "genmon_status", "genmon_engine_state", "genmon_utility_outage",
                                     "genmon_alarm_active", "genmon_controller_answering", "genmon_monitor_initialized",
                                     "genmon_transfer_switch_position", "genmon_mqtt_connected", "process_open_fds"]
        for sample in samples {
            #expect(sample.name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil, "\(sample.name)")
            #expect(sample.name.hasPrefix("genmon_") || sample.name.hasPrefix("process_"), "\(sample.name) has no namespace")
            switch sample.type {
            case "counter": #expect(sample.name.hasSuffix("_total") || sample.name.hasSuffix("_created"), "counter \(sample.name) lacks _total")
            case "gauge":
                #expect(!sample.name.hasSuffix("_total"), "gauge \(sample.name) ends in _total")
                #expect(unitless.contains(sample.family) || unitSuffixes.contains { sample.family.hasSuffix($0) }, "\(sample.family) has no base unit")
            case "histogram": #expect(sample.family.hasSuffix("_seconds"))
            default: Issue.record("unexpected type \(sample.type) for \(sample.name)")
            }
        }
    }

    @Test("counters follow the snapshot's running totals and never go down when the link's counters restart")
    func countersFollowTotals() async throws {
        let metrics = GenmonMetrics()
        var snapshot = try snapshot()
        metrics.observe(snapshot)
        _ = metrics.render()
        snapshot.communication.statistics.successes = 1500
        metrics.observe(snapshot)
        var samples = try await parse(metrics.render())
        #expect(samples.first { $0.name == "genmon_modbus_transactions_total" && $0.labels == "outcome=success" }?.value == 1500)
        snapshot.communication.statistics.successes = 10
        metrics.observe(snapshot)
        samples = try await parse(metrics.render())
        #expect(samples.first { $0.name == "genmon_modbus_transactions_total" && $0.labels == "outcome=success" }?.value == 1510)
    }

    @Test("/proc/self/stat is read from the last parenthesis, whatever the command name holds")
    func statParsing() {
        let line = "1234 (gen mon) (x)) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 125 0 0 20 0 8 0 98765 123456789 4321 18446744073709551615"
        let parsed = ProcessStatistics.parseStat(line)
        #expect(parsed?.userTicks == 250 && parsed?.systemTicks == 125 && parsed?.startTicks == 98765)
        #expect(ProcessStatistics.parseStat("garbage") == nil)
        #expect(ProcessStatistics.parseStat("1 (x) S 1 2") == nil)
    }
}
