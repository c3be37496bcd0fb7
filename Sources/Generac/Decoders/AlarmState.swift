/// The active alarm / warning ("System In Alarm", docs/registers.md#status-pair). Warnings such as low battery or
/// service due come through the same channel, so they count as "in alarm" too.
public struct AlarmState: Sendable, Equatable, Hashable {
    /// Where the text came from.
    public enum Source: Sendable, Equatable, Hashable {
        /// Not in alarm.
        case none
        /// The index in `0002` is in the index table.
        case index(UInt16)
        /// Unknown index on Evolution, replaced by the catalog name of the last alarm code (`05f1`).
        case lastAlarmCode(index: UInt16, code: UInt16)
        /// Unknown index and no usable replacement: `UNKNOWN ALARM: %08x`.
        case unknownIndex(UInt16)
        /// PZ200: alarm / warning flags (and the catalog name of the status low word).
        case pz200Flags
    }

    /// Upstream's text; empty when the system is not in alarm.
    public let text: String
    public let source: Source

    public init(text: String, source: Source) {
        self.text = text
        self.source = source
    }

    public static let none = AlarmState(text: "", source: .none)

    /// "System in alarm" is simply "the alarm text is not empty".
    public var isActive: Bool { !text.isEmpty }

    /// Evolution / Nexus: the alarm text follows the switch state.
    public static func decode(pair: StatusPair, switchState: SwitchState, identity: ControllerIdentity,
                              lastAlarmCode: UInt16) -> AlarmState {
        guard switchState.rawValue.lowercased().contains("alarm") else { return .none }
        let index = pair.modeWord
        if let name = AlarmIndex.name(index) {
            return AlarmState(text: name, source: .index(index))
        }
        if identity.isEvolution, let name = AlarmCatalog.knownName(forCode: lastAlarmCode) {
            return AlarmState(text: name, source: .lastAlarmCode(index: index, code: lastAlarmCode))
        }
        return AlarmState(text: "UNKNOWN ALARM: " + pair.hex8, source: .unknownIndex(index))
    }

    /// PZ200: in alarm when bit 0 of `0637` (alarm) or `0638` (warning) is set.
    public static func decodePZ200(pair: StatusPair, image: RegisterImage) -> AlarmState {
        guard image[Register.pz200AlarmActive] & 1 != 0 || image[Register.pz200WarningActive] & 1 != 0 else { return .none }
        var parts: [String] = []
        if let name = AlarmCatalog.knownName(forCode: pair.modeWord) { parts.append(name) }
        parts.append(contentsOf: PZ200Flags.activeTexts(in: image))
        return AlarmState(text: parts.isEmpty ? "Unknown Alarm" : parts.joined(separator: ", "), source: .pz200Flags)
    }
}
