import Foundation
import LegacyProtocol
import Monitor

/// genmon's own topic layout, version 1 (docs/mqtt-schema-v1.json): the contract a fleet view subscribes
/// to. Everything lives under `<root>/v1/<site>/`:
///
/// | topic | retained | payload |
/// |---|---|---|
/// | `availability` | yes (QoS 1, also the last will) | `online` / `offline` |
/// | `state` | yes | one JSON document: schema, site, time, status, every figure by id |
/// | `figure/<id>` | yes | the value alone: `13.7`, `Running`, `true` |
/// | `meta/<id>` | yes | JSON: name, unit, type, device and state class |
/// | `event` | no (QoS 1) | JSON: schema, site, time, name, severity, summary |
/// | `command` → `command/response` | no | JSON request → JSON outcome (only with `mqtt_allow_commands`) |
public struct SiteLayout: Sendable, Equatable {
    /// The layout's version: in the topic (`v1`) and in every document (`schema`).
    public static let schemaVersion = 1

    public var root: String
    public var site: String

    public init(root: String = "genmon", site: String) {
        self.root = root
        self.site = site
    }

    public var base: String { "\(root)/v\(Self.schemaVersion)/\(site)" }
    public var availabilityTopic: String { base + "/availability" }
    public var stateTopic: String { base + "/state" }
    public var eventTopic: String { base + "/event" }
    public var commandTopic: String { base + "/command" }
    public var responseTopic: String { base + "/command/response" }
    public func figureTopic(_ id: String) -> String { base + "/figure/" + id }
    public func metaTopic(_ id: String) -> String { base + "/meta/" + id }

    /// The figures that have a value now, in catalog order.
    public static func values(_ source: FigureSource, figures: [Figure] = FigureCatalog.all) -> [(Figure, FigureValue)] {
        figures.compactMap { figure in figure.value(source).map { (figure, $0) } }
    }

    /// The retained state document (monitor statistics left out: they change every second and have their own topics).
    public func stateDocument(_ source: FigureSource, values: [(Figure, FigureValue)], now: Date) -> String {
        let snapshot = source.snapshot
        var figures: [(String, ReportValue)] = []
        for (figure, value) in values where !figure.monitorStatistic { figures.append((figure.id, value.json)) }
        return JSON.encode(.object([
            ("schema", .int(Self.schemaVersion)),
            ("site", .string(site)),
            ("site_name", .string(snapshot.monitor.siteName)),
            ("time", .string(Self.iso(now))),
            ("updated", .string(Self.iso(snapshot.updatedAt))),
            ("initialized", .bool(snapshot.isInitialized)),
            ("controller_answering", .bool(snapshot.communication.isReceiving)),
            ("genmon_version", .string(snapshot.monitor.version)),
            ("figures", .object(figures)),
        ]))
    }

    /// The metadata document of one figure (units live here, values stay bare numbers).
    public func metaDocument(_ figure: Figure, value: FigureValue, source: FigureSource) -> String {
        var pairs: [(String, ReportValue)] = [("schema", .int(Self.schemaVersion)), ("id", .string(figure.id)), ("name", .string(figure.name)),
                                              ("type", .string(figure.typeName(for: value)))]
        if let unit = figure.unit(in: source) { pairs.append(("unit", .string(unit))) }
        if let deviceClass = figure.deviceClass { pairs.append(("device_class", .string(deviceClass))) }
        if let stateClass = figure.stateClass { pairs.append(("state_class", .string(stateClass))) }
        pairs.append(("diagnostic", .bool(figure.diagnostic)))
        return JSON.encode(.object(pairs))
    }

    /// One event as a non-retained message.
    public func eventDocument(_ event: MonitorEvent) -> String {
        JSON.encode(.object([
            ("schema", .int(Self.schemaVersion)),
            ("site", .string(site)),
            ("time", .string(Self.iso(event.time))),
            ("name", .string(event.name)),
            ("severity", .string(event.severity.rawValue)),
            ("summary", .string(event.summary)),
        ]))
    }

    /// `2026-12-05T07:30:53Z`.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
