import CoreMetrics
import Foundation
import Generac
import Monitor
import Prometheus
import Synchronization

/// genmon's Prometheus metrics (`/metrics`): readings as gauges in base units, states as labelled
/// gauges, the link's transactions and each error kind as counters, transaction time as a histogram
/// (recorded by the Modbus client through `factory`), events, outages and notification deliveries
/// as counters, and the process's memory and CPU. Values are taken from the latest snapshot when
/// scraped, so they equal what every other view shows.
public final class GenmonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// For swift-metrics users (the Modbus client's transaction timer); names its histogram with help text.
    public let factory: any MetricsFactory
    /// Name of the transaction-time histogram the Modbus client records.
    public static let transactionTimerLabel = "genmon_modbus_transaction_duration_seconds"

    struct State {
        var snapshot: GeneratorSnapshot?
        /// Counter values already added, per series key, so snapshot totals become counter increments.
        var counted: [String: Double] = [:]
        var engineStatesSeen: Set<String> = []
    }

    let state = Mutex(State())
    let process = ProcessStatistics()
    /// Extra gauges (MQTT links), read at every scrape.
    let extras = Mutex<[@Sendable () -> [(name: String, labels: [(String, String)], value: Double)]]>([])

    public init() {
        let histogram = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "genmon_modbus_transaction_duration", unitName: "seconds",
                                             helpText: "Time from a Modbus request to its answer."),
            buckets: [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5)])
        factory = TransactionTimerFactory(base: PrometheusMetricsFactory(registry: registry), histogram: histogram)
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "genmon_info", unitName: "", helpText: Help.info),
                           labels: [("version", MonitorStatus.currentVersion)]).set(to: 1)
    }

    /// Adds gauges read at every scrape (help text: the MQTT one; the MQTT service uses this).
    public func addGauges(_ provider: @escaping @Sendable () -> [(name: String, labels: [(String, String)], value: Double)]) {
        extras.withLock { $0.append(provider) }
    }

    /// Keeps the newest snapshot (the values are read from it at the next scrape).
    public func observe(_ snapshot: GeneratorSnapshot) { state.withLock { $0.snapshot = snapshot } }

    /// Counts an event (and an outage when one starts).
    public func record(_ event: MonitorEvent) {
        counter("genmon_events", Help.events, [("name", event.name), ("severity", event.severity.rawValue)]).increment()
        if case .outageStarted = event.kind { counter("genmon_outages", Help.outages, []).increment() }
    }

    /// The hook for the notification engine: one delivery attempt on `channel` ("email", "sms", "pushover", …).
    public func recordNotification(channel: String, delivered: Bool) {
        counter("genmon_notification_deliveries", Help.notifications, [("channel", channel), ("result", delivered ? "delivered" : "failed")]).increment()
    }

    /// The exposition text, brought up to date with the latest snapshot and the process's figures.
    public func render() -> [UInt8] {
        if let snapshot = state.withLock({ $0.snapshot }) { update(from: snapshot) }
        updateProcess()
        for provider in extras.withLock({ $0 }) {
            for extra in provider() { gauge(extra.name, Help.mqtt, extra.labels).set(to: extra.value) }
        }
        return registry.emitToBuffer()
    }

    // MARK: Families

    func counter(_ name: String, _ help: String, _ labels: [(String, String)]) -> Prometheus.Counter {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "total", helpText: help)
        return labels.isEmpty ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Prometheus.Gauge {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        return labels.isEmpty ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    /// Brings a counter up to `total` (a running total from the snapshot); a total that went down
    /// (the link's counters restarted) starts a new baseline instead.
    func count(_ name: String, _ help: String, _ labels: [(String, String)], total: Double) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta: Double = state.withLock { state in
            let already = state.counted[key] ?? 0
            state.counted[key] = total
            return total >= already ? total - already : total
        }
        let series = counter(name, help, labels)
        if delta > 0 { series.increment(by: delta) }
    }
}

/// Routes the Modbus client's timer to the histogram registered with help text; everything else to Prometheus.
struct TransactionTimerFactory: MetricsFactory {
    let base: PrometheusMetricsFactory
    let histogram: DurationHistogram

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { base.makeCounter(label: label, dimensions: dimensions) }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        base.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        base.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { base.makeMeter(label: label, dimensions: dimensions) }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        label == GenmonMetrics.transactionTimerLabel && dimensions.isEmpty ? histogram : base.makeTimer(label: label, dimensions: dimensions)
    }
    func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) {
        if (handler as? DurationHistogram) !== histogram { base.destroyTimer(handler) }
    }
}

/// Help texts, one per family (the registry insists they never differ).
enum Help {
    static let info = "genmon's version."
    static let events = "Monitor events since genmon started, by name and severity."
    static let outages = "Utility outages that started since genmon started."
    static let notifications = "Notification delivery attempts, by channel and result."
    static let mqtt = "1 while the MQTT connection is up, by purpose."
}
