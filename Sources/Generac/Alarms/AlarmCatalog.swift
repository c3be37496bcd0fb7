/// One alarm / warning code of the Evolution catalog (upstream's ALARMS.txt).
public struct AlarmCatalogEntry: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Equatable, Hashable {
        case alarm = "ALARM"
        case warning = "WARNING"
    }

    /// Decimal code; registers hold its binary value (1600 = 0x0640).
    public let code: Int
    public let kind: Kind
    /// Upstream's name, verbatim (a protocol constant: logs and alarm texts print it).
    public let name: String
    /// How many `!` fields the upstream line has. Upstream only uses lines with exactly five.
    public let upstreamFieldCount: Int
    /// What the code means, in this project's words.
    public let description: String
    /// What an owner or installer should look at first, in this project's words.
    public let whatToCheck: String

    init(_ code: Int, _ kind: Kind, _ name: String, fields: Int, _ description: String, _ whatToCheck: String) {
        self.code = code
        self.kind = kind
        self.name = name
        self.upstreamFieldCount = fields
        self.description = description
        self.whatToCheck = whatToCheck
    }

    /// Whether upstream can ever match this line (4904 and 4101 cannot: wrong field count).
    public var isMatchable: Bool { upstreamFieldCount == 5 }
}

/// Lookups over the alarm catalog with upstream's matching rules (docs/registers.md#alarm-codes).
public enum AlarmCatalog {
    /// Every catalog line in upstream's file order, including the two it can never match.
    public static var entries: [AlarmCatalogEntry] { fileEntries }

    /// The entry upstream would use for a register value: first matchable line with that code.
    public static func entry(forCode code: UInt16) -> AlarmCatalogEntry? {
        firstMatchable[Int(code)]
    }

    /// The first matchable line per code, indexed once (logs look up every entry's code).
    private static let firstMatchable: [Int: AlarmCatalogEntry] = {
        var index: [Int: AlarmCatalogEntry] = [:]
        for entry in fileEntries where entry.isMatchable && index[entry.code] == nil { index[entry.code] = entry }
        return index
    }()

    /// Every line with the code, matchable or not (for documentation and the simulator).
    public static func allEntries(forCode code: Int) -> [AlarmCatalogEntry] {
        fileEntries.filter { $0.code == code }
    }

    /// Upstream's short text for a code: the name, "Warning Code Unknown: 0" for code 0
    /// (nothing happened since power-up) or "Error Code Unknown: NNNN".
    public static func nameText(forCode code: UInt16) -> String {
        if let entry = entry(forCode: code) { return entry.name }
        if code == 0 { return "Warning Code Unknown: 0" }
        return "Error Code Unknown: " + decimal4(code)
    }

    /// The name when the catalog knows the code and the name is usable as a substitute text
    /// (upstream discards texts that contain "unknown").
    public static func knownName(forCode code: UInt16) -> String? {
        let text = nameText(forCode: code)
        return text.lowercased().contains("unknown") ? nil : text
    }

    /// `%04d`.
    static func decimal4(_ value: UInt16) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
