import Foundation
import Generac

/// What the reports need besides the snapshot: the clock, the zone, the configuration flags that
/// change a report's shape, and the host facts. Everything is injected so a report is a pure
/// function of (snapshot, context).
public struct ReportContext: Sendable {
    /// The moment the report describes (Monitor Time, Run time, System Time).
    public var now: Date
    /// Zone of every printed local time and of the `zone` field.
    public var timeZone: TimeZone
    /// The decoding settings the monitor runs with (alternate date format, smart transfer switch,
    /// activation-hours format...).
    public var settings: GeneracSettings
    /// Overrides the snapshot's site name when set.
    public var siteName: String?
    /// The version the legacy protocol announces. The original's clients compare it with genmon's
    /// release numbers, so it names the protocol level we speak rather than this program's version.
    public var protocolVersion: String
    /// First-install timestamp (`start_info_json.install`).
    public var installDate: String
    /// Platform stats (Monitor[2] and the dashboard); nil when disabled (`disableplatformstats`).
    public var platformStats: (@Sendable (Date) -> [(String, String)])?
    /// Whether the outage page is shown (`disableoutagecheck = False`).
    public var outageCheckEnabled: Bool
    /// Maximum size of the power log in MB, for "Power log file size".
    public var powerLogMaximumMegabytes: Double
    /// The runtime the `python` field reports (we are not Python: our toolchain's name).
    public var runtimeVersion: String
    /// Whether genmon runs on a Raspberry Pi (`start_info_json.RaspberryPi`): found once at start.
    public var isRaspberryPi: Bool
    /// The load the "Hours of Fuel Remaining (Estimated … Load)" line assumes (`estimated_load`, 0 to 1).
    public var estimatedLoad: Double = 0.5

    public init(now: Date = Date(), timeZone: TimeZone = .current, settings: GeneracSettings = .defaults,
                siteName: String? = nil, protocolVersion: String = ReportContext.compatibleVersion,
                installDate: String = "", platformStats: (@Sendable (Date) -> [(String, String)])? = nil,
                outageCheckEnabled: Bool = true, powerLogMaximumMegabytes: Double = 15,
                runtimeVersion: String = ReportContext.swiftRuntime, isRaspberryPi: Bool = false) {
        self.now = now
        self.timeZone = timeZone
        self.settings = settings
        self.siteName = siteName
        self.protocolVersion = protocolVersion
        self.installDate = installDate
        self.platformStats = platformStats
        self.outageCheckEnabled = outageCheckEnabled
        self.powerLogMaximumMegabytes = powerLogMaximumMegabytes
        self.runtimeVersion = runtimeVersion
        self.isRaspberryPi = isRaspberryPi
    }

    /// The original release whose protocol and report shapes we reproduce.
    public static let compatibleVersion = "2.0.2"

    public static var swiftRuntime: String {
        #if swift(>=6.3)
        "swift-6.3"
        #elseif swift(>=6.2)
        "swift-6.2"
        #else
        "swift-6"
        #endif
    }

    /// The same context at another moment.
    public func at(_ date: Date) -> ReportContext {
        var copy = self
        copy.now = date
        return copy
    }
}
