import Foundation
import LegacyProtocol
import Monitor

/// The original genmqtt's topics: the four reports merged into `{"Status", "Maintenance", "Outage",
/// "Monitor"}` and flattened into `generator/<path…>` topics with text payloads
/// (docs/compatibility.md#genmqttconf). Pure: a snapshot and a report context in, topics out.
public struct LegacyTopicLayout: Sendable, Equatable {
    /// `root_topic`; nil or empty: none.
    public var rootTopic: String?
    /// `numeric_json`: value objects are walked into `…/unit`, `…/type`, `…/value`.
    public var numericJSON: Bool
    /// `numeric_json_object`: value objects are published whole, as JSON, at their key.
    public var numericJSONObject: Bool
    /// `strlist_json`: lists of strings as a JSON array instead of joined with ", ".
    public var stringListJSON: Bool
    /// Substrings (without case) of paths that are never published.
    public var blacklist: [String]
    /// Every space in a topic becomes `_`.
    public var removeSpaces: Bool

    public init(rootTopic: String? = nil, numericJSON: Bool = false, numericJSONObject: Bool = false, stringListJSON: Bool = false,
                blacklist: [String] = [], removeSpaces: Bool = false) {
        self.rootTopic = rootTopic
        self.numericJSON = numericJSON
        self.numericJSONObject = numericJSONObject
        self.stringListJSON = stringListJSON
        self.blacklist = blacklist
        self.removeSpaces = removeSpaces
    }

    /// `R/generator/`: where every topic of this layout starts.
    public var generatorPrefix: String { topic("generator") }
    /// `R/generator/client_status`: `Online` on connect, `Offline` as the last will.
    public var clientStatusTopic: String { topic("generator/client_status") }
    /// `R/generator/command`: commands in, without the `generator:` prefix.
    public var commandTopic: String { topic("generator/command") }
    /// `R/generator/command/response`: genmon's answer to each command (the original had none).
    public var responseTopic: String { topic("generator/command/response") }

    /// A path under the root, with spaces replaced when asked.
    func topic(_ path: String) -> String {
        let full = (rootTopic.map { $0.isEmpty ? "" : $0 + "/" } ?? "") + path
        return removeSpaces ? full.replacingOccurrences(of: " ", with: "_") : full
    }

    /// The merged tree the original polled (`_num_json` variants when either numeric option is on).
    public func tree(_ reports: Reports) -> ReportValue {
        let numeric = numericJSON || numericJSONObject
        func body(_ value: ReportValue, _ key: String) -> ReportValue { value[key] ?? .string("") }
        return .object([
            ("Status", body(reports.status().resolved(numeric: numeric), "Status")),
            ("Maintenance", body(reports.maintenance().resolved(numeric: numeric), "Maintenance")),
            ("Outage", body(reports.outage(numeric: numeric).resolved(numeric: numeric), "Outage")),
            // The original's monitor_num_json is monitor_json.
            ("Monitor", body(reports.monitor().resolved(numeric: false), "Monitor")),
        ])
    }

    /// Every topic and payload for `tree`, in the tree's order, blacklisted paths left out.
    public func messages(for tree: ReportValue) -> [(topic: String, payload: String)] {
        var output: [(String, String)] = []
        walk(tree, path: "generator", into: &output)
        return output.map { (topic($0.0), $0.1) }
    }

    private func walk(_ node: ReportValue, path: String, into output: inout [(String, String)]) {
        switch node {
        case let .object(pairs):
            for (key, item) in pairs { visit(item, path: path + "/" + key, into: &output) }
        case let .list(items):
            // A list of one-key objects reads as the map it stands for.
            for item in items { if case .object = item { walk(item, path: path, into: &output) } }
        default:
            emit(path, Self.text(node), into: &output)
        }
    }

    private func visit(_ item: ReportValue, path: String, into output: inout [(String, String)]) {
        switch item {
        case .object:
            if numericJSONObject, Self.isValueObject(item) { emit(path, JSON.encode(item), into: &output) } else { walk(item, path: path, into: &output) }
        case let .list(items):
            let strings = items.compactMap { if case let .string(text) = $0 { text } else { nil } }
            if strings.count == items.count {
                emit(path, stringListJSON ? JSON.encode(item) : strings.joined(separator: ", "), into: &output)
            } else {
                walk(item, path: path, into: &output)
            }
        default:
            emit(path, Self.text(item), into: &output)
        }
    }

    private func emit(_ path: String, _ payload: String, into output: inout [(String, String)]) {
        let lowered = path.lowercased()
        if blacklist.contains(where: { !$0.isEmpty && lowered.contains($0.lowercased()) }) { return }
        output.append((path, payload))
    }

    /// `{"unit", "type", "value"}`, the `_num_json` value object.
    static func isValueObject(_ value: ReportValue) -> Bool {
        guard case let .object(pairs) = value else { return false }
        return Set(pairs.map(\.0)) == ["unit", "type", "value"]
    }

    /// Python's `str()` of a JSON value, as the original sent it.
    static func text(_ value: ReportValue) -> String {
        switch value {
        case let .string(text): text
        case let .int(number): String(number)
        case let .double(number): PythonFormat.repr(number)
        case let .bool(flag): flag ? "True" : "False"
        case .null: "None"
        case let .measurement(measure): measure.displayText
        case .list, .object: JSON.encode(value)
        }
    }
}
